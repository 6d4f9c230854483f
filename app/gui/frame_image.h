#pragma once

#include <QImage>

#include "core/video_frame.h"

namespace podium::gui {

/// Converts an I420 frame to an RGB QImage (OpenCV's BT.601 conversion) for the preview.
/// A null or empty frame gives a null QImage. Any thread; allocates one image per call.
QImage toQImage(const VideoFrame& frame);

}  // namespace podium::gui
