#pragma once

#include <memory>
#include <string>

#include "core/status.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

namespace podium::capture {

/// Owning handles for the libav* objects the file source uses: each frees its object with the
/// matching libav call. Internal to capture/ (never in a public header of another folder).
struct AvFormatCloser {
    void operator()(AVFormatContext* p) const { avformat_close_input(&p); }
};
struct AvCodecContextFreer {
    void operator()(AVCodecContext* p) const { avcodec_free_context(&p); }
};
struct AvFrameFreer {
    void operator()(AVFrame* p) const { av_frame_free(&p); }
};
struct AvPacketFreer {
    void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct SwsFreer {
    void operator()(SwsContext* p) const { sws_freeContext(p); }
};
struct SwrFreer {
    void operator()(SwrContext* p) const { swr_free(&p); }
};

using AvFormatPtr = std::unique_ptr<AVFormatContext, AvFormatCloser>;
using AvCodecContextPtr = std::unique_ptr<AVCodecContext, AvCodecContextFreer>;
using AvFramePtr = std::unique_ptr<AVFrame, AvFrameFreer>;
using AvPacketPtr = std::unique_ptr<AVPacket, AvPacketFreer>;
using SwsPtr = std::unique_ptr<SwsContext, SwsFreer>;
using SwrPtr = std::unique_ptr<SwrContext, SwrFreer>;

/// av_strerror() text of an AVERROR code.
std::string avErrorText(int averror);

/// The one AVERROR -> Status conversion: "<what>: <av_strerror text>", code from the error
/// (ENOENT -> NotFound, EACCES/EPERM -> PermissionDenied, INVALIDDATA -> Parse, else `fallback`).
Status avStatus(int averror, const std::string& what, ErrorCode fallback = ErrorCode::Io);

/// Routes libav*'s own log lines (av_log) into Podium's log: warnings and errors as warnings
/// under "libav", everything chattier as debug. Idempotent; call before using libav*.
void routeLibavLogs();

}  // namespace podium::capture
