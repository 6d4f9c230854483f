#include "audio_resampler.h"

namespace podium::capture {

Result<void> AudioResampler::configureFor(const AVFrame& frame) {
    AVChannelLayout layout{};
    if (frame.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || frame.ch_layout.nb_channels == 0) {
        av_channel_layout_default(&layout, std::max(1, frame.ch_layout.nb_channels));
    } else if (av_channel_layout_copy(&layout, &frame.ch_layout) < 0) {
        return makeError(ErrorCode::Internal, "cannot copy the channel layout");
    }
    if (swr_ && frame.sample_rate == inRate_ && frame.format == inFormat_ &&
        av_channel_layout_compare(&layout, &inLayout_) == 0) {
        av_channel_layout_uninit(&layout);
        return ok();
    }
    av_channel_layout_uninit(&inLayout_);
    inLayout_ = layout;
    inRate_ = frame.sample_rate;
    inFormat_ = frame.format;
    AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
    SwrContext* raw = nullptr;
    int err = swr_alloc_set_opts2(&raw, &stereo, AV_SAMPLE_FMT_FLT, kSampleRate, &inLayout_,
                                  static_cast<AVSampleFormat>(inFormat_), inRate_, 0, nullptr);
    swr_.reset(raw);
    if (err >= 0) {
        err = swr_init(swr_.get());
    }
    if (err < 0) {
        swr_.reset();
        return makeError(avStatus(err, "cannot set up the audio resampler", ErrorCode::Codec));
    }
    return ok();
}

Result<void> AudioResampler::drain(const uint8_t** in, int inCount, std::vector<float>& out) {
    const int room = swr_get_out_samples(swr_.get(), inCount) + 32;
    const size_t old = out.size();
    out.resize(old + size_t(room) * kChannels);
    auto* dst = reinterpret_cast<uint8_t*>(out.data() + old);
    const int got = swr_convert(swr_.get(), &dst, room, in, inCount);
    if (got < 0) {
        out.resize(old);
        return makeError(avStatus(got, "resampling failed", ErrorCode::Codec));
    }
    out.resize(old + size_t(got) * kChannels);
    return ok();
}

Result<void> AudioResampler::convert(const AVFrame& frame, std::vector<float>& out) {
    if (auto configured = configureFor(frame); !configured) {
        return configured;
    }
    return drain(const_cast<const uint8_t**>(frame.extended_data), frame.nb_samples, out);
}

Result<void> AudioResampler::flush(std::vector<float>& out) {
    if (!swr_) {
        return ok();
    }
    auto drained = drain(nullptr, 0, out);
    swr_.reset();
    av_channel_layout_uninit(&inLayout_);
    inFormat_ = -1;
    return drained;
}

}  // namespace podium::capture
