#include "x264_encoder.h"

#include <cstdarg>
#include <cstdio>

#include "core/avc_config.h"
#include "core/log.h"

extern "C" {
#include <x264.h>
}

namespace podium::encoder {
namespace {

using avc::ByteSpan;

/// x264's log lines go to our log, prefixed with the rendition (p_log_private is the component).
void logFromX264(void* component, int level, const char* format, va_list args) {
    char line[512];
    std::vsnprintf(line, sizeof line, format, args);
    std::string text(line);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.pop_back();
    }
    const auto& name = *static_cast<const std::string*>(component);
    if (level <= X264_LOG_ERROR) {
        logError(name, "x264: " + text);
    } else if (level == X264_LOG_WARNING) {
        logWarning(name, "x264: " + text);
    } else {
        logDebug(name, "x264: " + text);
    }
}

Result<void> checkConfig(const X264Config& c) {
    if (c.width <= 0 || c.height <= 0 || c.width % 2 || c.height % 2) {
        return makeError(ErrorCode::InvalidArgument, "width and height must be even and > 0");
    }
    if (c.fpsNum <= 0 || c.fpsDen <= 0) {
        return makeError(ErrorCode::InvalidArgument, "frame rate must be > 0");
    }
    if (c.bitrateKbps <= 0 || c.maxBitrateKbps < c.bitrateKbps) {
        return makeError(ErrorCode::InvalidArgument,
                         "bitrate must be > 0 and max bitrate >= bitrate (got " +
                             std::to_string(c.bitrateKbps) + "/" +
                             std::to_string(c.maxBitrateKbps) + " kb/s)");
    }
    if (c.keyintMax <= 0) {
        return makeError(ErrorCode::InvalidArgument, "keyintMax must be at least one segment");
    }
    return ok();
}

}  // namespace

void X264Encoder::X264Deleter::operator()(x264_t* encoder) const {
    x264_encoder_close(encoder);
}

X264Encoder::X264Encoder(const X264Config& config, int trackIndex)
    : config_(config),
      trackIndex_(trackIndex),
      logComponent_("encoder " + config.renditionId + " " + std::to_string(config.width) + "x" +
                    std::to_string(config.height)),
      frameDuration90k_(
          rescaleTicks(config.fpsDen, config.fpsNum, kVideoTimescale, Rounding::Nearest)) {}

X264Encoder::~X264Encoder() = default;

Status X264Encoder::error(ErrorCode code, const std::string& message) const {
    return Status(code, message).withContext(logComponent_);
}

Result<std::unique_ptr<X264Encoder>> X264Encoder::create(const X264Config& config, int trackIndex) {
    std::unique_ptr<X264Encoder> encoder(new X264Encoder(config, trackIndex));
    if (auto valid = checkConfig(config); !valid) {
        return makeError(valid.error().withContext(encoder->logComponent_));
    }
    if (auto opened = encoder->open(); !opened) {
        return makeError(opened.error());
    }
    if (auto headers = encoder->readHeaders(); !headers) {
        return makeError(headers.error());
    }
    return encoder;
}

Result<void> X264Encoder::open() {
    const X264Config& c = config_;
    x264_param_t p;
    if (x264_param_default_preset(&p, c.preset.c_str(), c.tune.empty() ? nullptr : c.tune.c_str()) <
        0) {
        return makeError(error(ErrorCode::InvalidArgument, "x264 refused preset \"" + c.preset +
                                                               "\" / tune \"" + c.tune + "\""));
    }
    p.pf_log = logFromX264;
    p.p_log_private = &logComponent_;
    p.i_log_level = X264_LOG_WARNING;
    p.i_csp = X264_CSP_I420;
    p.i_width = c.width;
    p.i_height = c.height;
    p.i_fps_num = uint32_t(c.fpsNum);
    p.i_fps_den = uint32_t(c.fpsDen);
    p.i_timebase_num = 1;
    p.i_timebase_den = kVideoTimescale;
    p.b_vfr_input = 0;  // rate control by the nominal frame rate; required by NAL HRD
    p.i_threads = c.threads;
    p.b_sliced_threads = c.slicedThreads ? 1 : 0;
    p.i_lookahead_threads = c.lookaheadThreads;
    if (c.lookaheadFrames > 0) {
        p.rc.i_lookahead = c.lookaheadFrames;
    }
    // IDRs come only from the schedule (forced on every segment's first frame, the same frame
    // in every rendition). keyint_max = two segments is a safety net should a forced IDR ever
    // be missed; keyint_min = one segment + 1 (exactly x264's keyint_max/2+1 clamp) turns every
    // scene cut into a plain I-frame, since a scheduled IDR always comes sooner. A scene-cut
    // IDR in one rendition but not another would break the ladder's identical IDR times.
    p.i_keyint_max = 2 * c.keyintMax;
    p.i_keyint_min = c.keyintMax + 1;
    p.b_open_gop = 0;
    p.b_repeat_headers = 0;  // SPS/PPS live in avcC
    p.b_annexb = 0;          // NAL units come out 4-byte length-prefixed, ready for MP4
    p.b_aud = 0;
    p.rc.i_rc_method = X264_RC_ABR;
    p.rc.i_bitrate = c.bitrateKbps;
    p.rc.i_vbv_max_bitrate = c.maxBitrateKbps;
    p.rc.i_vbv_buffer_size = c.maxBitrateKbps;  // one second at the peak rate
    if (c.bitrateKbps == c.maxBitrateKbps) {
        // CBR with filler data: the advertised bandwidth is honoured even on static pictures.
        p.i_nal_hrd = X264_NAL_HRD_CBR;
        p.rc.b_filler = 1;
    }
    if (x264_param_apply_profile(&p, c.profile.c_str()) < 0) {
        return makeError(
            error(ErrorCode::InvalidArgument, "x264 refused profile \"" + c.profile + "\""));
    }
    encoder_.reset(x264_encoder_open(&p));
    if (!encoder_) {
        return makeError(error(ErrorCode::Codec, "x264_encoder_open failed (see x264's log)"));
    }
    return ok();
}

Result<void> X264Encoder::readHeaders() {
    x264_nal_t* nals = nullptr;
    int count = 0;
    if (x264_encoder_headers(encoder_.get(), &nals, &count) < 0) {
        return makeError(error(ErrorCode::Codec, "x264_encoder_headers failed"));
    }
    std::vector<uint8_t> sps;
    std::vector<uint8_t> pps;
    for (int i = 0; i < count; ++i) {
        auto split =
            avc::splitLengthPrefixed(ByteSpan(nals[i].p_payload, size_t(nals[i].i_payload)));
        if (!split || split->size() != 1) {
            return makeError(error(ErrorCode::Codec, "x264 header NAL is not length-prefixed"));
        }
        ByteSpan nal = split->front();
        if (avc::nalType(nal) == int(avc::NalType::Sps)) {
            sps.assign(nal.begin(), nal.end());
        } else if (avc::nalType(nal) == int(avc::NalType::Pps)) {
            pps.assign(nal.begin(), nal.end());
        }
    }
    auto config = avc::buildAvcDecoderConfig(sps, pps);
    auto codec = avc::codecString(sps);
    if (!config || !codec) {
        return makeError((!config ? config.error() : codec.error()).withContext(logComponent_));
    }
    avcDecoderConfig_ = std::move(*config);
    codecString_ = std::move(*codec);
    return ok();
}

Result<std::vector<EncodedPacket>> X264Encoder::encode(const VideoFrame& frame, bool forceIdr) {
    if (isFlushed_) {
        return makeError(error(ErrorCode::Internal, "encode() after flush()"));
    }
    if (frame.format != PixelFormat::I420 || frame.width != config_.width ||
        frame.height != config_.height) {
        return makeError(error(ErrorCode::InvalidArgument, "got a " + std::to_string(frame.width) +
                                                               "x" + std::to_string(frame.height) +
                                                               " frame"));
    }
    const int64_t pts90k = frame.pts.rescaled(kVideoTimescale, Rounding::Nearest).value;
    if (pts90k <= lastPts90k_) {
        return makeError(error(ErrorCode::InvalidArgument,
                               "pts " + std::to_string(pts90k) + " does not follow " +
                                   std::to_string(lastPts90k_) + " (90 kHz)"));
    }
    lastPts90k_ = pts90k;
    x264_picture_t picture;
    x264_picture_init(&picture);
    picture.img.i_csp = X264_CSP_I420;
    picture.img.i_plane = 3;
    for (int i = 0; i < 3; ++i) {
        // x264 only reads the input planes; its API is not const-correct.
        picture.img.plane[i] = const_cast<uint8_t*>(frame.plane(i));
        picture.img.i_stride[i] = frame.stride(i);
    }
    picture.i_pts = pts90k;
    picture.i_type = forceIdr ? X264_TYPE_IDR : X264_TYPE_AUTO;
    return encodePicture(&picture);
}

Result<std::vector<EncodedPacket>> X264Encoder::flush() {
    std::vector<EncodedPacket> packets;
    isFlushed_ = true;
    while (x264_encoder_delayed_frames(encoder_.get()) > 0) {
        auto more = encodePicture(nullptr);
        if (!more) {
            return makeError(more.error());
        }
        for (EncodedPacket& packet : *more) {
            packets.push_back(std::move(packet));
        }
    }
    return packets;
}

Result<std::vector<EncodedPacket>> X264Encoder::encodePicture(x264_picture_t* pictureIn) {
    x264_nal_t* nals = nullptr;
    int count = 0;
    x264_picture_t pictureOut;
    const int size = x264_encoder_encode(encoder_.get(), &nals, &count, pictureIn, &pictureOut);
    if (size < 0) {
        return makeError(
            error(ErrorCode::Codec, "x264_encoder_encode failed (" + std::to_string(size) + ")"));
    }
    std::vector<EncodedPacket> packets;
    if (size == 0) {
        return packets;
    }
    EncodedPacket packet;
    packet.trackIndex = trackIndex_;
    packet.kind = TrackKind::Video;
    packet.pts = pictureOut.i_pts;
    packet.dts = pictureOut.i_dts;  // may be negative at the start with B-frames: kept
    packet.duration = frameDuration90k_;
    packet.isKeyframe = pictureOut.b_keyframe != 0;
    // x264 guarantees the NAL payloads of one frame are contiguous.
    packet.data.assign(nals[0].p_payload, nals[0].p_payload + size);
    packets.push_back(std::move(packet));
    return packets;
}

TrackInfo X264Encoder::trackInfo(const std::string& id) const {
    TrackInfo info;
    info.trackIndex = trackIndex_;
    info.id = id;
    info.kind = TrackKind::Video;
    info.timescale = kVideoTimescale;
    info.codecString = codecString_;
    info.bitrateBps = config_.bitrateKbps * 1000;
    info.maxBitrateBps = config_.maxBitrateKbps * 1000;
    info.width = config_.width;
    info.height = config_.height;
    info.fpsNum = config_.fpsNum;
    info.fpsDen = config_.fpsDen;
    info.avcDecoderConfig = avcDecoderConfig_;
    return info;
}

}  // namespace podium::encoder
