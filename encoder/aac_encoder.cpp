#include "aac_encoder.h"

#include <algorithm>
#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
}

namespace podium::encoder {
namespace {

std::string averrorText(int code) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, text, sizeof text);
    return std::string(text) + " (" + std::to_string(code) + ")";
}

}  // namespace

void AacEncoder::Deleter::operator()(AVCodecContext* context) const {
    avcodec_free_context(&context);
}
void AacEncoder::Deleter::operator()(AVFrame* frame) const {
    av_frame_free(&frame);
}
void AacEncoder::Deleter::operator()(AVPacket* packet) const {
    av_packet_free(&packet);
}

AacEncoder::AacEncoder(const AacConfig& config, int trackIndex)
    : config_(config), trackIndex_(trackIndex) {}

AacEncoder::~AacEncoder() = default;

Status AacEncoder::error(ErrorCode code, const std::string& message) const {
    return Status(code, message)
        .withContext("AAC encoder " + std::to_string(config_.sampleRate) + " Hz " +
                     std::to_string(config_.channels) + " ch");
}

Result<std::unique_ptr<AacEncoder>> AacEncoder::create(const AacConfig& config, int trackIndex) {
    std::unique_ptr<AacEncoder> encoder(new AacEncoder(config, trackIndex));
    if (config.sampleRate <= 0 || config.channels < 1 || config.channels > 2 ||
        config.bitrateKbps <= 0) {
        return makeError(encoder->error(ErrorCode::InvalidArgument,
                                        "needs a positive rate and bitrate and 1 or 2 channels"));
    }
    if (auto opened = encoder->open(); !opened) {
        return makeError(opened.error());
    }
    return encoder;
}

Result<void> AacEncoder::open() {
    const AVCodec* codec = avcodec_find_encoder_by_name("aac");
    if (!codec) {
        return makeError(error(ErrorCode::Codec, "libavcodec has no native \"aac\" encoder"));
    }
    context_.reset(avcodec_alloc_context3(codec));
    frame_.reset(av_frame_alloc());
    packet_.reset(av_packet_alloc());
    if (!context_ || !frame_ || !packet_) {
        return makeError(error(ErrorCode::Internal, "out of memory"));
    }
    AVCodecContext* c = context_.get();
    c->sample_fmt = AV_SAMPLE_FMT_FLTP;
    c->sample_rate = config_.sampleRate;
    av_channel_layout_default(&c->ch_layout, config_.channels);
    c->bit_rate = int64_t(config_.bitrateKbps) * 1000;
    c->profile = FF_PROFILE_AAC_LOW;
    c->time_base = AVRational{1, config_.sampleRate};
    c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;  // AudioSpecificConfig in extradata, raw frames
    if (int rc = avcodec_open2(c, codec, nullptr); rc < 0) {
        return makeError(error(ErrorCode::Codec, "avcodec_open2: " + averrorText(rc)));
    }
    if (c->frame_size != frameSize()) {
        return makeError(
            error(ErrorCode::Codec, "unexpected AAC frame size " + std::to_string(c->frame_size)));
    }
    frame_->format = c->sample_fmt;
    frame_->nb_samples = frameSize();
    frame_->sample_rate = c->sample_rate;
    if (int rc = av_channel_layout_copy(&frame_->ch_layout, &c->ch_layout); rc < 0) {
        return makeError(error(ErrorCode::Internal, "av_channel_layout_copy: " + averrorText(rc)));
    }
    if (int rc = av_frame_get_buffer(frame_.get(), 0); rc < 0) {
        return makeError(error(ErrorCode::Internal, "av_frame_get_buffer: " + averrorText(rc)));
    }
    return ok();
}

Result<std::vector<EncodedPacket>> AacEncoder::encode(const AudioFrame& frame) {
    if (isFlushed_) {
        return makeError(error(ErrorCode::Internal, "encode() after flush()"));
    }
    if (frame.sampleRate != config_.sampleRate || frame.channels != config_.channels) {
        return makeError(error(ErrorCode::InvalidArgument,
                               "got " + std::to_string(frame.sampleRate) + " Hz " +
                                   std::to_string(frame.channels) + " ch audio (no resampling)"));
    }
    if (primingToSkip_ < 0) {
        primingToSkip_ = primingSamples();
    }
    const int64_t skip = std::min<int64_t>(primingToSkip_, frame.frameCount());
    primingToSkip_ -= skip;
    const size_t first = size_t(skip) * size_t(frame.channels);
    const size_t usable = size_t(frame.frameCount()) * size_t(frame.channels);
    pending_.insert(pending_.end(), frame.samples.begin() + long(first),
                    frame.samples.begin() + long(usable));
    std::vector<EncodedPacket> packets;
    const size_t frameValues = size_t(frameSize()) * size_t(config_.channels);
    while (pending_.size() >= frameValues) {
        if (auto sent = sendFrame(false); !sent) {
            return makeError(sent.error());
        }
        if (auto received = receivePackets(packets); !received) {
            return makeError(received.error());
        }
    }
    return packets;
}

Result<std::vector<EncodedPacket>> AacEncoder::flush() {
    std::vector<EncodedPacket> packets;
    if (isFlushed_) {
        return packets;
    }
    isFlushed_ = true;
    if (!pending_.empty()) {
        pending_.resize(size_t(frameSize()) * size_t(config_.channels), 0.0f);  // silence
        if (auto sent = sendFrame(false); !sent) {
            return makeError(sent.error());
        }
        if (auto received = receivePackets(packets); !received) {
            return makeError(received.error());
        }
    }
    if (auto sent = sendFrame(true); !sent) {
        return makeError(sent.error());
    }
    if (auto received = receivePackets(packets); !received) {
        return makeError(received.error());
    }
    return packets;
}

/// Moves the first 1024 pending samples into the (planar) AVFrame and sends it; isFinal sends
/// the end-of-stream marker instead.
Result<void> AacEncoder::sendFrame(bool isFinal) {
    if (isFinal) {
        if (int rc = avcodec_send_frame(context_.get(), nullptr); rc < 0 && rc != AVERROR_EOF) {
            return makeError(
                error(ErrorCode::Codec, "avcodec_send_frame(flush): " + averrorText(rc)));
        }
        return ok();
    }
    if (int rc = av_frame_make_writable(frame_.get()); rc < 0) {
        return makeError(error(ErrorCode::Internal, "av_frame_make_writable: " + averrorText(rc)));
    }
    const int channels = config_.channels;
    for (int ch = 0; ch < channels; ++ch) {
        auto* plane = reinterpret_cast<float*>(frame_->data[ch]);
        for (int i = 0; i < frameSize(); ++i) {
            plane[i] = pending_[size_t(i) * channels + ch];
        }
    }
    pending_.erase(pending_.begin(), pending_.begin() + long(frameSize()) * channels);
    frame_->pts = samplesSent_;
    samplesSent_ += frameSize();
    if (int rc = avcodec_send_frame(context_.get(), frame_.get()); rc < 0) {
        return makeError(error(ErrorCode::Codec, "avcodec_send_frame: " + averrorText(rc)));
    }
    return ok();
}

Result<void> AacEncoder::receivePackets(std::vector<EncodedPacket>& out) {
    while (true) {
        const int rc = avcodec_receive_packet(context_.get(), packet_.get());
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) {
            return ok();
        }
        if (rc < 0) {
            return makeError(error(ErrorCode::Codec, "avcodec_receive_packet: " + averrorText(rc)));
        }
        EncodedPacket packet;
        packet.trackIndex = trackIndex_;
        packet.kind = TrackKind::Audio;
        // Timing from the packet count, not libavcodec's priming-shifted pts (-1024, 0, ...).
        packet.pts = packet.dts = packetsOut_ * frameSize();
        packet.duration = frameSize();
        packet.isKeyframe = true;
        packet.data.assign(packet_->data, packet_->data + packet_->size);
        ++packetsOut_;
        av_packet_unref(packet_.get());
        out.push_back(std::move(packet));
    }
}

TrackInfo AacEncoder::trackInfo(const std::string& id) const {
    TrackInfo info;
    info.trackIndex = trackIndex_;
    info.id = id;
    info.kind = TrackKind::Audio;
    info.timescale = config_.sampleRate;
    info.codecString = "mp4a.40.2";
    info.bitrateBps = config_.bitrateKbps * 1000;
    info.maxBitrateBps = info.bitrateBps;
    info.sampleRate = config_.sampleRate;
    info.channels = config_.channels;
    const AVCodecContext* c = context_.get();
    info.audioSpecificConfig.assign(c->extradata, c->extradata + c->extradata_size);
    // libavcodec appends a sync extension saying "no SBR" (0x2b7, AOT 5, flag 0: 56 e5 00).
    // Plain 2-byte AAC-LC configs are what every player and packager expects; drop it.
    const uint8_t kNoSbrExtension[] = {0x56, 0xe5, 0x00};
    if (info.audioSpecificConfig.size() == 5 &&
        std::equal(info.audioSpecificConfig.begin() + 2, info.audioSpecificConfig.end(),
                   std::begin(kNoSbrExtension))) {
        info.audioSpecificConfig.resize(2);
    }
    return info;
}

int AacEncoder::primingSamples() const {
    return context_->initial_padding;
}

}  // namespace podium::encoder
