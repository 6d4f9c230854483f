// podium-cli: the studio's engine without a window (servers, scripts, tests).
#include <QCoreApplication>
#include <cstdio>

#include "app/cli/commands.h"
#include "app/session/process_tuning.h"

namespace {
void printUsage() {
    std::fputs(
        "usage: podium-cli <command> [options]\n"
        "  stream   capture, encode the preset's ladder and publish (see stream --help)\n"
        "  presets  list the built-in presets and your own with their ladders\n"
        "  sources  list screens, windows, cameras and audio inputs\n"
        "  bench    encode a file through a ladder as fast as possible and print fps\n",
        stderr);
}
}  // namespace

int main(int argc, char** argv) {
    podium::app::tuneProcessForVideo();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName("podium-cli");
    QStringList args = QCoreApplication::arguments().mid(1);
    if (args.isEmpty() || args.first() == "--help" || args.first() == "-h") {
        printUsage();
        return args.isEmpty() ? 2 : 0;
    }
    const QString command = args.takeFirst();
    if (command == "stream") {
        return podium::cli::runStream(args);
    }
    if (command == "presets") {
        return podium::cli::runPresets(args);
    }
    if (command == "sources") {
        return podium::cli::runSources(args);
    }
    if (command == "bench") {
        return podium::cli::runBench(args);
    }
    std::fprintf(stderr, "error: unknown command \"%s\"\n", qPrintable(command));
    printUsage();
    return 2;
}
