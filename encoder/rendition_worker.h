#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <thread>

#include "core/bounded_queue.h"
#include "core/encoded_packet.h"
#include "core/status.h"
#include "encoder/frame_fanout.h"

namespace podium::encoder {

class Scaler;
class X264Encoder;

/// One rendition's thread: pop from the fan-out, scale, encode, push packets. After an encoder
/// failure it reports once and keeps draining its queue so the other renditions never stall.
class RenditionWorker {
public:
    RenditionWorker(int index, std::string id, std::unique_ptr<Scaler> scaler,
                    std::unique_ptr<X264Encoder> encoder);
    ~RenditionWorker();

    [[nodiscard]] Result<void> start(FrameFanout& frames, BoundedQueue<EncodedPacketPtr>& out,
                                     std::function<void(const Status&)> onError);
    void join();

    [[nodiscard]] const std::string& id() const { return id_; }
    [[nodiscard]] uint64_t framesEncoded() const { return framesEncoded_; }
    [[nodiscard]] uint64_t bytesOut() const { return bytesOut_; }
    [[nodiscard]] int64_t lastPts() const { return lastPts_; }

private:
    void run(FrameFanout& frames, BoundedQueue<EncodedPacketPtr>& out,
             const std::function<void(const Status&)>& onError);
    Result<void> encodeOne(const ScheduledFrame& frame, BoundedQueue<EncodedPacketPtr>& out);
    void emit(std::vector<EncodedPacket>&& packets, BoundedQueue<EncodedPacketPtr>& out);

    const int index_;
    const std::string id_;
    std::unique_ptr<Scaler> scaler_;
    std::unique_ptr<X264Encoder> encoder_;
    std::jthread thread_;
    std::atomic<uint64_t> framesEncoded_{0};
    std::atomic<uint64_t> bytesOut_{0};
    std::atomic<int64_t> lastPts_{-1};
};

}  // namespace podium::encoder
