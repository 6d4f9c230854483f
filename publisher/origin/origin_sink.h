#pragma once

#include <atomic>
#include <memory>

#include "publisher/origin/channel_store.h"
#include "publisher/sinks/segment_sink.h"

namespace podium::publisher::origin {

/// The in-process feed: the session's packager output goes straight into a Channel of the
/// ChannelStore (no HTTP), chunks included, so LL-HLS parts appear as they are cut.
/// Driven by SinkFanout (open on the caller's thread, deliver/close on the sink's thread).
class OriginSink final : public SegmentSink {
public:
    /// Creates (or replaces) the channel `config.name` in `store` when opened.
    OriginSink(ChannelStore& store, ChannelConfig config);

    [[nodiscard]] std::string name() const override { return "origin " + config_.name; }
    [[nodiscard]] bool wantsChunks() const override { return true; }
    /// A fresh channel under the config's name, anchored at the stream's epoch when known.
    Result<void> open(const StreamDescription& stream) override;
    Result<void> deliver(const SinkItem& item) override;
    Result<void> close() override;
    [[nodiscard]] SinkStats stats() const override;

private:
    ChannelStore& store_;
    const ChannelConfig config_;
    std::shared_ptr<Channel> channel_;
    std::atomic<uint64_t> items_{0};
    std::atomic<uint64_t> bytes_{0};
};

}  // namespace podium::publisher::origin
