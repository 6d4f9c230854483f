#include "file_decoder.h"

#include "core/log.h"

namespace podium::capture {
namespace {

constexpr int32_t kMicros = 1000000;

Result<AvCodecContextPtr> openDecoder(const AVStream& stream, const AVCodec* codec,
                                      const std::string& kind) {
    AvCodecContextPtr ctx(avcodec_alloc_context3(codec));
    if (!ctx) {
        return makeError(ErrorCode::Internal, "cannot allocate the " + kind + " decoder");
    }
    int err = avcodec_parameters_to_context(ctx.get(), stream.codecpar);
    if (err >= 0) {
        ctx->pkt_timebase = stream.time_base;
        ctx->thread_count = 0;  // libavcodec picks (frame/slice threads)
        err = avcodec_open2(ctx.get(), codec, nullptr);
    }
    if (err < 0) {
        return makeError(avStatus(err, "cannot open the " + kind + " decoder", ErrorCode::Codec));
    }
    return ctx;
}

}  // namespace

Result<std::unique_ptr<FileDecoder>> FileDecoder::open(const std::string& path, int canvasWidth,
                                                       int canvasHeight) {
    std::unique_ptr<FileDecoder> decoder(new FileDecoder(canvasWidth, canvasHeight));
    decoder->path_ = path;
    if (auto opened = decoder->openStreams(path); !opened) {
        return makeError(opened.error());
    }
    return decoder;
}

Result<void> FileDecoder::openStreams(const std::string& path) {
    AVFormatContext* raw = nullptr;
    int err = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
    if (err < 0) {
        return makeError(avStatus(err, "cannot open"));
    }
    format_.reset(raw);
    if ((err = avformat_find_stream_info(raw, nullptr)) < 0) {
        return makeError(avStatus(err, "cannot read the stream parameters", ErrorCode::Parse));
    }
    const AVCodec* videoCodec = nullptr;
    videoStream_ = av_find_best_stream(raw, AVMEDIA_TYPE_VIDEO, -1, -1, &videoCodec, 0);
    if (videoStream_ == AVERROR_DECODER_NOT_FOUND) {
        return makeError(ErrorCode::Codec, "no decoder for the video stream");
    }
    if (videoStream_ < 0) {
        return makeError(ErrorCode::InvalidArgument, "no video stream");
    }
    const AVStream& video = *raw->streams[videoStream_];
    auto videoCtx = openDecoder(video, videoCodec, "video");
    if (!videoCtx) {
        return makeError(videoCtx.error());
    }
    videoCodec_ = std::move(*videoCtx);
    const AVRational rate =
        video.avg_frame_rate.num > 0 ? video.avg_frame_rate : video.r_frame_rate;
    if (rate.num > 0 && rate.den > 0) {
        nominalFrameUs_ = av_rescale(kMicros, rate.den, rate.num);
    }
    const AVCodec* audioCodec = nullptr;
    audioStream_ = av_find_best_stream(raw, AVMEDIA_TYPE_AUDIO, -1, videoStream_, &audioCodec, 0);
    if (audioStream_ >= 0) {
        auto audioCtx = openDecoder(*raw->streams[audioStream_], audioCodec, "audio");
        if (!audioCtx) {  // the picture alone is still worth showing
            logWarning("file source", path + ": " + audioCtx.error().toString() + "; no audio");
            audioStream_ = -1;
        } else {
            audioCodec_ = std::move(*audioCtx);
        }
    }
    packet_.reset(av_packet_alloc());
    frame_.reset(av_frame_alloc());
    if (!packet_ || !frame_) {
        return makeError(ErrorCode::Internal, "out of memory");
    }
    return ok();
}

int64_t FileDecoder::toMicros(int64_t ts, AVRational timeBase) const {
    return av_rescale_q(ts, timeBase, AVRational{1, kMicros});
}

Result<void> FileDecoder::readPacket() {
    int err = av_read_frame(format_.get(), packet_.get());
    if (err == AVERROR_EOF) {
        inputEnded_ = true;
        avcodec_send_packet(videoCodec_.get(), nullptr);
        auto drained = receiveVideo();
        if (drained && audioCodec_) {
            avcodec_send_packet(audioCodec_.get(), nullptr);
            drained = receiveAudio(true);
        }
        ready_.push_back({EndOfFile{}, 0});
        return drained;
    }
    if (err < 0) {
        return makeError(avStatus(err, "cannot read"));
    }
    Result<void> received = ok();
    const int index = packet_->stream_index;
    if (index == videoStream_ || (index == audioStream_ && audioCodec_)) {
        AVCodecContext* codec = index == videoStream_ ? videoCodec_.get() : audioCodec_.get();
        err = avcodec_send_packet(codec, packet_.get());
        if (err < 0 && err != AVERROR(EAGAIN)) {  // a damaged packet: skip it, keep going
            logWarning("file source", path_ + ": " + avErrorText(err) + ", packet skipped");
        }
        received = index == videoStream_ ? receiveVideo() : receiveAudio(false);
    }
    av_packet_unref(packet_.get());
    return received;
}

Result<void> FileDecoder::receiveVideo() {
    const AVRational timeBase = format_->streams[videoStream_]->time_base;
    for (;;) {
        const int err = avcodec_receive_frame(videoCodec_.get(), frame_.get());
        if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) {
            return ok();
        }
        if (err < 0) {
            return makeError(avStatus(err, "video decoding failed", ErrorCode::Codec));
        }
        const int64_t ts = frame_->best_effort_timestamp;
        const int64_t us = ts != AV_NOPTS_VALUE ? toMicros(ts, timeBase)
                           : sawVideo_          ? lastVideoPtsUs_ + nominalFrameUs_
                                                : 0;
        const int64_t durationUs =
            frame_->pkt_duration > 0 ? toMicros(frame_->pkt_duration, timeBase) : nominalFrameUs_;
        auto converted = converter_.convert(*frame_);
        av_frame_unref(frame_.get());
        if (!converted) {
            return makeError(converted.error());
        }
        if (!originUs_) {
            originUs_ = us;
        }
        sawVideo_ = true;
        lastVideoPtsUs_ = us;
        ready_.push_back(
            {DecodedVideo{std::move(*converted), {}, MediaTime{durationUs, kMicros}}, us});
    }
}

Result<void> FileDecoder::receiveAudio(bool endOfInput) {
    const AVRational timeBase = format_->streams[audioStream_]->time_base;
    for (;;) {
        const int err = avcodec_receive_frame(audioCodec_.get(), frame_.get());
        if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) {
            break;
        }
        if (err < 0) {
            return makeError(avStatus(err, "audio decoding failed", ErrorCode::Codec));
        }
        const int64_t ts = frame_->best_effort_timestamp;
        DecodedAudio audio;
        auto converted = resampler_.convert(*frame_, audio.samples);
        av_frame_unref(frame_.get());
        if (!converted) {
            return converted;
        }
        ready_.push_back(
            {std::move(audio), ts == AV_NOPTS_VALUE ? AV_NOPTS_VALUE : toMicros(ts, timeBase)});
    }
    if (endOfInput) {
        DecodedAudio tail;
        auto flushed = resampler_.flush(tail.samples);
        if (!flushed) {
            return flushed;
        }
        if (!tail.samples.empty()) {
            ready_.push_back({std::move(tail), AV_NOPTS_VALUE});
        }
    }
    return ok();
}

DecodedItem FileDecoder::rebase(Pending pending) {
    const int64_t originUs = originUs_.value_or(0);
    if (auto* video = std::get_if<DecodedVideo>(&pending.item)) {
        video->pts = MediaTime{pending.rawPtsUs - originUs, kMicros}.rescaled(kVideoTimescale,
                                                                              Rounding::Nearest);
        video->duration = video->duration.rescaled(kVideoTimescale, Rounding::Nearest);
    } else if (auto* audio = std::get_if<DecodedAudio>(&pending.item)) {
        if (pending.rawPtsUs != AV_NOPTS_VALUE) {
            audio->pts = MediaTime{pending.rawPtsUs - originUs, kMicros}.rescaled(
                AudioResampler::kSampleRate, Rounding::Nearest);
        }
    }
    return std::move(pending.item);
}

Result<DecodedItem> FileDecoder::next() {
    // Nothing leaves before the first picture fixed the origin of the timeline.
    while (ready_.empty() || (!originUs_ && !inputEnded_)) {
        if (inputEnded_) {
            return EndOfFile{};
        }
        if (auto read = readPacket(); !read) {
            return makeError(read.error());
        }
    }
    if (!originUs_) {
        return makeError(ErrorCode::Parse, "no picture could be decoded");
    }
    Pending pending = std::move(ready_.front());
    ready_.pop_front();
    return rebase(std::move(pending));
}

Result<void> FileDecoder::rewind() {
    ready_.clear();
    inputEnded_ = false;
    const AVStream& video = *format_->streams[videoStream_];
    const int64_t start = video.start_time != AV_NOPTS_VALUE ? video.start_time : 0;
    int err = av_seek_frame(format_.get(), videoStream_, start, AVSEEK_FLAG_BACKWARD);
    if (err < 0) {
        err = avformat_seek_file(format_.get(), -1, INT64_MIN, 0, INT64_MAX, 0);
    }
    std::vector<float> discarded;
    (void)resampler_.flush(discarded);
    if (err < 0) {  // not seekable: open the file again
        logInfo("file source", path_ + ": cannot seek (" + avErrorText(err) + "), reopening");
        audioCodec_.reset();
        videoCodec_.reset();
        format_.reset();
        return openStreams(path_);
    }
    avcodec_flush_buffers(videoCodec_.get());
    if (audioCodec_) {
        avcodec_flush_buffers(audioCodec_.get());
    }
    return ok();
}

}  // namespace podium::capture
