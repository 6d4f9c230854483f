#include "app/gui/frame_image.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace podium::gui {

QImage toQImage(const VideoFrame& frame) {
    const int w = frame.width;
    const int h = frame.height;
    const size_t needed =
        size_t(w) * size_t(h) + 2 * size_t(frame.chromaWidth()) * size_t(frame.chromaHeight());
    if (w <= 0 || h <= 0 || frame.data.size() < needed) {
        return {};
    }
    QImage image(w, h, QImage::Format_RGB888);
    cv::Mat rgb(h, w, CV_8UC3, image.bits(), size_t(image.bytesPerLine()));
    try {
        if (w % 2 == 0 && h % 2 == 0) {
            // I420 planes are contiguous: a (h * 3/2) x w single-channel picture to OpenCV.
            const cv::Mat yuv(h * 3 / 2, w, CV_8UC1, const_cast<uint8_t*>(frame.data.data()));
            cv::cvtColor(yuv, rgb, cv::COLOR_YUV2RGB_I420);
        } else {
            // Odd sizes do not fit OpenCV's packed layout: show the luma plane.
            const cv::Mat y(h, w, CV_8UC1, const_cast<uint8_t*>(frame.plane(0)));
            cv::cvtColor(y, rgb, cv::COLOR_GRAY2RGB);
        }
    } catch (const cv::Exception&) {
        return {};
    }
    return image;
}

}  // namespace podium::gui
