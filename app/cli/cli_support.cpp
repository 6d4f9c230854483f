#include "app/cli/cli_support.h"

#include <atomic>
#include <csignal>
#include <cstdio>

#include "app/session/audience_text.h"

namespace podium::cli {

namespace {
std::atomic<bool> gStop{false};
extern "C" void onStopSignal(int) {
    gStop = true;
}
}  // namespace

void installStopSignals() {
    struct sigaction action {};
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

bool stopSignalled() {
    return gStop;
}

bool parseOrExplain(QCommandLineParser& parser, const QString& command, const QStringList& args) {
    parser.addHelpOption();
    if (!parser.parse(QStringList{"podium-cli " + command} + args)) {
        std::fprintf(stderr, "error: %s (see podium-cli %s --help)\n",
                     qPrintable(parser.errorText()), qPrintable(command));
        return false;
    }
    if (parser.isSet("help")) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return false;
    }
    if (!parser.positionalArguments().isEmpty()) {
        std::fprintf(stderr, "error: unexpected argument \"%s\" (see podium-cli %s --help)\n",
                     qPrintable(parser.positionalArguments().first()), qPrintable(command));
        return false;
    }
    return true;
}

int fail(const std::string& message) {
    std::fprintf(stderr, "error: %s\n", message.c_str());
    return 1;
}

std::string formatStatusLine(const app::SessionStats& now, const app::SessionStats& previous) {
    const double dt = now.elapsedSeconds - previous.elapsedSeconds;
    char buf[256];
    std::snprintf(buf, sizeof buf, "[%6.1fs]", now.elapsedSeconds);
    std::string line = buf;
    for (size_t i = 0; i < now.ladder.renditions.size(); ++i) {
        const auto& r = now.ladder.renditions[i];
        const bool hasPrevious = i < previous.ladder.renditions.size();
        const auto framesBefore = hasPrevious ? previous.ladder.renditions[i].framesEncoded : 0;
        const auto bytesBefore = hasPrevious ? previous.ladder.renditions[i].bytesOut : 0;
        const double fps = dt > 0 ? double(r.framesEncoded - framesBefore) / dt : 0.0;
        const double mbps = dt > 0 ? double(r.bytesOut - bytesBefore) * 8.0 / dt / 1e6 : 0.0;
        std::snprintf(buf, sizeof buf, " | %s %5.1f fps %5.2f Mb/s", r.id.c_str(), fps, mbps);
        line += buf;
    }
    std::snprintf(buf, sizeof buf, " | dropped %llu | segments %llu",
                  static_cast<unsigned long long>(now.ladder.droppedFrames),
                  static_cast<unsigned long long>(now.segmentsOut));
    line += buf;
    for (const auto& sink : now.sinks) {
        line += " | " + sink.name + " " + app::destinationStateName(sink.state);
        if (sink.lastHttpStatus != 0) {
            line += " (HTTP " + std::to_string(sink.lastHttpStatus) + ")";
        }
        if (sink.segmentsDropped != 0) {
            line += ", " + std::to_string(sink.segmentsDropped) + " segments dropped";
        }
        if (sink.state != app::DestinationState::Live && !sink.lastError.empty()) {
            line += ": " + sink.lastError;
        }
        if (sink.audience) {
            line += " · " + app::audienceLine(*sink.audience);
        }
    }
    return line;
}

}  // namespace podium::cli
