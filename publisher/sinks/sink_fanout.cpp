#include "publisher/sinks/sink_fanout.h"

#include "core/log.h"
#include "publisher/sinks/sink_worker.h"

namespace podium::publisher {

SinkFanout::SinkFanout(StreamDescription stream) : stream_(std::move(stream)) {}

SinkFanout::~SinkFanout() {
    finish(std::chrono::seconds(30));
}

Result<void> SinkFanout::addSink(std::unique_ptr<SegmentSink> sink, SinkQueuePolicy policy) {
    if (!sink) {
        return makeError(ErrorCode::InvalidArgument, "no sink given");
    }
    const std::string name = sink->name();
    Result<void> opened;
    try {
        opened = sink->open(stream_);
    } catch (const std::exception& e) {
        opened = makeError(ErrorCode::Internal, std::string("open() threw: ") + e.what());
    } catch (...) {
        opened = makeError(ErrorCode::Internal, "open() threw an unknown exception");
    }
    if (!opened) {
        return makeError(opened.error().withContext("sink " + name));
    }
    auto worker = std::make_shared<SinkWorker>(std::move(sink), policy);
    {
        // Replay under the lock so that no broadcast item overtakes the inits.
        std::lock_guard lock(mutex_);
        if (finished_) {
            return makeError(ErrorCode::Cancelled, "sink " + name + ": the stream has finished");
        }
        worker->start();
        for (const auto& [index, init] : inits_) {
            worker->push(init);
        }
        workers_.push_back(worker);
    }
    logInfo("fanout", "sink " + name + " added");
    return ok();
}

void SinkFanout::broadcast(const SinkItem& item, bool isChunk) {
    std::vector<std::shared_ptr<SinkWorker>> workers;
    {
        std::lock_guard lock(mutex_);
        workers = workers_;
    }
    // Outside the lock: a Lossless queue may block the packager here, by design.
    for (const auto& worker : workers) {
        if (!isChunk || worker->wantsChunks()) {
            worker->push(item);
        }
    }
}

void SinkFanout::onInitSegment(const InitSegmentPtr& init) {
    if (!init) {
        return;
    }
    {
        std::lock_guard lock(mutex_);
        inits_[init->track.trackIndex] = init;
    }
    broadcast(init, false);
}

void SinkFanout::onChunk(const ChunkPtr& chunk) {
    if (chunk) {
        broadcast(chunk, true);
    }
}

void SinkFanout::onSegment(const SegmentPtr& segment) {
    if (segment) {
        broadcast(segment, false);
    }
}

void SinkFanout::onEndOfStream() {
    broadcast(EndOfStream{}, false);
}

std::vector<SinkStatus> SinkFanout::finish(std::chrono::milliseconds deadline) {
    std::vector<std::shared_ptr<SinkWorker>> workers;
    {
        std::lock_guard lock(mutex_);
        finished_ = true;
        workers = workers_;
    }
    for (const auto& worker : workers) {
        worker->closeQueue();
    }
    const auto until = std::chrono::steady_clock::now() + deadline;
    for (const auto& worker : workers) {
        worker->waitUntil(until);
    }
    return stats();
}

std::vector<SinkStatus> SinkFanout::stats() const {
    std::vector<std::shared_ptr<SinkWorker>> workers;
    {
        std::lock_guard lock(mutex_);
        workers = workers_;
    }
    std::vector<SinkStatus> out;
    out.reserve(workers.size());
    for (const auto& worker : workers) {
        out.push_back(worker->status());
    }
    return out;
}

}  // namespace podium::publisher
