#include "encoder/rendition_worker.h"

#include "core/log.h"
#include "core/thread.h"
#include "encoder/scaler.h"
#include "encoder/x264_encoder.h"

namespace podium::encoder {

RenditionWorker::RenditionWorker(int index, std::string id, std::unique_ptr<Scaler> scaler,
                                 std::unique_ptr<X264Encoder> encoder)
    : index_(index), id_(std::move(id)), scaler_(std::move(scaler)), encoder_(std::move(encoder)) {}

RenditionWorker::~RenditionWorker() {
    join();
}

Result<void> RenditionWorker::start(FrameFanout& frames, BoundedQueue<EncodedPacketPtr>& out,
                                    std::function<void(const Status&)> onError) {
    auto thread = startThread(
        "encode " + id_,
        [this, &frames, &out, onError](std::stop_token) { run(frames, out, onError); },
        onError);
    if (!thread) {
        return makeError(thread.error().withContext("rendition " + id_));
    }
    thread_ = std::move(*thread);
    return ok();
}

void RenditionWorker::join() {
    if (thread_.joinable()) {
        thread_.join();
    }
}

void RenditionWorker::emit(std::vector<EncodedPacket>&& packets,
                           BoundedQueue<EncodedPacketPtr>& out) {
    for (auto& p : packets) {
        bytesOut_ += p.data.size();
        lastPts_ = p.pts;
        out.push(std::make_shared<const EncodedPacket>(std::move(p)));
    }
}

Result<void> RenditionWorker::encodeOne(const ScheduledFrame& frame,
                                        BoundedQueue<EncodedPacketPtr>& out) {
    auto scaled = scaler_->scale(frame.frame);
    if (!scaled) {
        return makeError(scaled.error());
    }
    auto packets = encoder_->encode(**scaled, frame.startsSegment);
    if (!packets) {
        return makeError(packets.error());
    }
    ++framesEncoded_;
    emit(std::move(*packets), out);
    return ok();
}

void RenditionWorker::run(FrameFanout& frames, BoundedQueue<EncodedPacketPtr>& out,
                          const std::function<void(const Status&)>& onError) {
    bool failed = false;
    while (auto frame = frames.pop(index_)) {
        if (failed) {
            continue;  // keep draining so the siblings never wait for us
        }
        if (auto r = encodeOne(*frame, out); !r) {
            failed = true;
            onError(r.error().withContext("rendition " + id_));
        }
    }
    if (!failed) {
        auto rest = encoder_->flush();
        if (rest) {
            emit(std::move(*rest), out);
        } else {
            onError(rest.error().withContext("rendition " + id_));
        }
    }
}

}  // namespace podium::encoder
