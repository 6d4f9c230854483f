#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace podium::publisher::origin {

/// Which ingest connection currently owns each (channel, Streams(id)). MS-SSTR allows one
/// active connection per stream id; Podium's rule is "the newest connection wins": a second
/// POST on the same id supersedes the first, whose further fragments are ignored (so an
/// encoder that reconnects before the server noticed the old TCP connection died is never
/// locked out). Also serialises header registration into a channel (track union + index
/// assignment) across connections. Owned by the server; thread-safe.
class IngestRegistry {
public:
    /// Takes ownership of the stream for a new connection; returns its generation.
    uint64_t connect(const std::string& channel, const std::string& streamId);
    /// True while `generation` is the newest connection of the stream.
    [[nodiscard]] bool isCurrent(const std::string& channel, const std::string& streamId,
                                 uint64_t generation) const;
    /// The connection ended; forgets the stream if `generation` still owns it.
    void disconnect(const std::string& channel, const std::string& streamId, uint64_t generation);

    /// Held while a session merges its tracks into a channel.
    [[nodiscard]] std::mutex& headerMutex() { return headerMutex_; }

private:
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, std::string>, uint64_t> owners_;
    uint64_t nextGeneration_ = 1;
    std::mutex headerMutex_;
};

}  // namespace podium::publisher::origin
