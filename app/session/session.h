#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/session/source_spec.h"
#include "core/clock.h"
#include "encoder/ladder_pipeline.h"
#include "publisher/origin/origin_limits.h"
#include "publisher/origin/qoe/qoe_table.h"
#include "publisher/push/push_target.h"
#include "publisher/sinks/sink_fanout.h"

namespace podium::publisher {
class Packager;
namespace origin {
class OriginServer;
class ChannelStore;
}  // namespace origin
namespace push {
class PushSink;
}  // namespace push
namespace relay {
class RemoteAudience;
}  // namespace relay
}  // namespace podium::publisher

namespace podium::app {

/// The embedded origin, when the session hosts one.
struct OriginOptions {
    bool enabled = false;
    std::string bindAddress = "127.0.0.1";  ///< 0.0.0.0 when sharing on the LAN
    uint16_t port = 8080;                   ///< 0: any free port
    std::string channel = "live";
    std::string viewPasscode;  ///< empty: open to anyone who can reach the port
    std::string publishToken;  ///< for other encoders pushing into this origin
    std::string metricsToken;  ///< Bearer token for /metrics (empty: see OriginConfig)
    double dvrSeconds = 60;
    publisher::origin::OriginLimits limits;  ///< the same defaults as podium-origin
};

/// Everything a broadcast needs, assembled by a front end (CLI flags, GUI settings).
struct SessionConfig {
    SourceSpec source;
    SourceOptions sourceOptions;
    encoder::Preset preset;
    encoder::LadderOptions ladder;
    std::string archiveDir;  ///< empty: no archive
    OriginOptions origin;
    /// Remote publishing points, typed: protocol, URL and backups, credentials, CA file. Front
    /// ends make them with publisher::push::PushTarget::parse (the one parser of "[smooth|cmaf|
    /// hls|dash=]URL[,BACKUP_URL...]"), so a typo is reported before anything starts.
    std::vector<publisher::push::PushTarget> destinations;
    /// Media kept per track for re-sending after a reconnect (seconds), and where: empty =
    /// in memory, a folder = on disk.
    double publishSpoolSeconds = 30;
    std::string publishSpoolDir;
    /// How long stop() waits for the destinations to take the last segments before it gives
    /// up on the slow ones (the archive included: it is a destination too).
    double stopDeadlineSeconds = 30;
};

/// What a destination of the session is.
enum class DestinationKind { Origin = 1, Archive, Push };

/// What a destination is doing. Every destination is Live, Failed or Finished; a publishing
/// point is also Connecting (before its first answer) or Retrying (lost, reconnecting).
enum class DestinationState { Connecting = 1, Live, Retrying, Failed, Finished };

/// The word for a state in logs and the CLI status line: "connecting", "live", "retrying",
/// "failed", "finished".
const char* destinationStateName(DestinationState state);

/// One destination of the session: the local origin, the archive, or a publishing point.
/// Typed, so that front ends make their own words (problem_text.h for the GUI).
struct DestinationStatus {
    std::string name;  ///< as the engine names it ("origin live", "archive DIR", "smooth URL")
    DestinationKind kind = DestinationKind::Push;
    std::string where;  ///< the origin's channel, the archive folder, or the publishing point URL
    DestinationState state = DestinationState::Live;
    std::optional<ErrorCode> errorCode;  ///< the kind of the last error; nullopt when none
    std::string lastError;               ///< its details (Status::toString()); empty when none
    uint64_t bytesQueued = 0;            ///< waiting for this destination
    uint64_t segmentsDropped = 0;        ///< whole segments lost on this destination only
    long lastHttpStatus = 0;             ///< push destinations; 0 = none yet
    uint64_t retries = 0;                ///< push destinations
    /// Its viewers as they report them (issue #12): the local origin's own audience; for a
    /// push to another podium-origin, that origin's, read with the push's credentials.
    /// nullopt for the archive and for publishing points that do not say.
    std::optional<publisher::origin::QoeSummary> audience;
};

/// How far an orderly stop has come (stop() runs on one thread, a UI polls this from another).
struct StopProgress {
    enum class Phase {
        Running = 1,  ///< stop() not called yet
        Encoders,     ///< the source stopped; encoders flush, the last segments close
        Sinks,        ///< destinations take what they still hold, until the deadline
        Done,
    };
    Phase phase = Phase::Running;
    std::vector<DestinationStatus>
        sinks;               ///< in the Sinks phase: each destination (Finished when done)
    double secondsLeft = 0;  ///< in the Sinks phase: until stop() gives up on the slow ones
};

struct SessionStats {
    double elapsedSeconds = 0;
    encoder::LadderStats ladder;
    uint64_t segmentsOut = 0;
    std::vector<DestinationStatus> sinks;
};

/// The engine facade both front ends use: source -> LadderPipeline -> packets queue ->
/// packager thread (Packager) -> SinkFanout (archive, later origin and push sinks).
/// create() validates everything that can be checked before going live (preset, source,
/// encoders, archive folder), so a bad input fails with one clear Status and nothing started.
/// Thread-safe: requestStop()/stats() from any thread; start()/stop() from the owner.
class Session {
public:
    static Result<std::unique_ptr<Session>> create(SessionConfig config);
    ~Session();

    Result<void> start();
    /// Asks the session to end (Ctrl-C, --duration, the Stop button). Returns at once.
    void requestStop();
    /// Waits until the session should stop (source ended, error, or requestStop); true if so.
    bool waitUntilDone(std::chrono::milliseconds timeout);
    /// Orderly shutdown in pipeline order; the archive gets its final playlists. Returns the
    /// first error the session met (source, encoder or sink), if any.
    Result<void> stop();

    [[nodiscard]] SessionStats stats() const;
    [[nodiscard]] const std::vector<TrackInfo>& tracks() const;
    [[nodiscard]] std::string describeSource() const;
    /// The port the embedded origin listens on (0 without an origin).
    [[nodiscard]] uint16_t originPort() const;
    /// The newest source picture (for a preview; null before the first frame). Any thread.
    [[nodiscard]] VideoFramePtr latestVideoFrame() const;
    /// Peak sample magnitude (0..1, linear) of the newest audio frame as captured (before
    /// muting); 0 without audio.
    [[nodiscard]] float latestAudioPeak() const;
    /// Muted, the audio track carries silence (it stays in the stream). Any thread.
    void setAudioMuted(bool muted);
    [[nodiscard]] bool audioMuted() const;
    /// Changes the title and the webcam corner while live (needs
    /// SessionConfig::sourceOptions.editableScene). Opening a camera takes up to a second: call
    /// it from a worker thread, one call at a time. Fails, changing nothing, once stop() began.
    [[nodiscard]] Result<void> updateScene(const SceneSettings& scene);
    [[nodiscard]] SceneSettings scene() const;
    /// Where stop() is. Any thread.
    [[nodiscard]] StopProgress stopProgress() const;

private:
    explicit Session(SessionConfig config);
    void runPackager() noexcept;
    Result<void> addOrigin();
    Result<void> addArchive();
    Result<void> addPushTargets();
    void fail(const Status& status);

    class SegmentCounter;

    SessionConfig config_;
    SteadyClock clock_;
    std::unique_ptr<capture::MediaSource> source_;
    std::unique_ptr<encoder::LadderPipeline> ladder_;
    std::unique_ptr<encoder::PacketQueue> packets_;
    // Destroyed in reverse: the server and the sinks go before the store they both use.
    std::unique_ptr<publisher::origin::ChannelStore> store_;
    std::unique_ptr<publisher::SinkFanout> fanout_;
    std::unique_ptr<publisher::origin::OriginServer> server_;
    std::unique_ptr<SegmentCounter> counter_;
    std::vector<const publisher::push::PushSink*> pushSinks_;  ///< owned by fanout_
    /// What each destination added to fanout_ is, by its sink name.
    struct DestinationInfo {
        std::string name;
        DestinationKind kind;
        std::string where;
    };
    std::vector<DestinationInfo> destinationInfo_;
    /// The audiences of push destinations that are podium-origins, by sink name.
    std::vector<std::pair<std::string, std::unique_ptr<publisher::relay::RemoteAudience>>>
        remoteAudiences_;
    int64_t wallClockAnchorMs_ = 0;
    std::unique_ptr<publisher::Packager> packager_;
    std::jthread packagerThread_;

    mutable std::mutex mutex_;
    std::condition_variable doneChanged_;
    bool done_ = false;
    std::optional<Status> firstError_;
    bool started_ = false;
    bool stopped_ = false;
    std::chrono::steady_clock::time_point startTime_;

    mutable std::mutex previewMutex_;  // guards latestFrame_ only (held for a pointer copy)
    VideoFramePtr latestFrame_;
    std::atomic<float> audioPeak_{0.0f};
    std::atomic<bool> audioMuted_{false};

    mutable std::mutex sceneMutex_;  // guards scene_, sourceStopped_; held while changing it
    SceneSettings scene_;
    bool sourceStopped_ = false;

    std::atomic<StopProgress::Phase> stopPhase_{StopProgress::Phase::Running};
    std::atomic<std::chrono::steady_clock::time_point> drainDeadline_{};
};

}  // namespace podium::app
