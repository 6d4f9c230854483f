#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QString>
#include <QStringList>
#include <QVector>

/// Small helpers around the real ffprobe / ffmpeg / podium-cli binaries for end-to-end tests.
namespace probe {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

/// Runs `program args`, waiting at most `timeoutMs`; exitCode -1 if it did not finish.
Run run(const QString& program, const QStringList& args, int timeoutMs = 60000);

/// ffprobe -show_streams -show_packets -show_format -of json on a file.
QJsonDocument ffprobeJson(const QString& path);

/// Concatenates files into `out` (init + segments -> a playable fragmented MP4).
bool concatenate(const QStringList& inputs, const QString& out);

/// Sorted numbered segment files (seg_<n>.m4s) of one track folder.
QStringList segmentFiles(const QString& trackDir);

struct Packet {
    double ptsSeconds = 0;
    double dtsSeconds = 0;
    bool isKey = false;
};

/// Packets of the first stream, in file (decode) order.
QVector<Packet> packets(const QJsonDocument& probe);

QString podiumCli();

/// The distinct "codec[width]" items of every stream ffprobe finds at `url`, sorted
/// (e.g. {"aac", "h2641280", "h264640"}): a ladder's shape in one comparable list.
QStringList codecsAndWidths(const QString& url);

}  // namespace probe
