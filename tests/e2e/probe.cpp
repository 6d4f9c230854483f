#include "probe.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <algorithm>

namespace probe {

Run run(const QString& program, const QStringList& args, int timeoutMs) {
    QProcess p;
    p.start(program, args);
    Run r;
    if (!p.waitForStarted(10000)) {
        r.err = "cannot start " + program.toUtf8();
        return r;
    }
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "timed out";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QJsonDocument ffprobeJson(const QString& path) {
    const Run r = run("ffprobe", {"-v", "error", "-show_streams", "-show_packets", "-show_format",
                                  "-of", "json", path});
    return QJsonDocument::fromJson(r.out);
}

bool concatenate(const QStringList& inputs, const QString& out) {
    QFile o(out);
    if (!o.open(QIODevice::WriteOnly)) {
        return false;
    }
    for (const auto& in : inputs) {
        QFile f(in);
        if (!f.open(QIODevice::ReadOnly)) {
            return false;
        }
        o.write(f.readAll());
    }
    return true;
}

QStringList segmentFiles(const QString& trackDir) {
    QDir dir(trackDir);
    QStringList names = dir.entryList({"seg_*.m4s"}, QDir::Files);
    static const QRegularExpression number("(\\d+)");
    std::sort(names.begin(), names.end(), [](const QString& a, const QString& b) {
        return number.match(a).captured(1).toLongLong() < number.match(b).captured(1).toLongLong();
    });
    QStringList paths;
    for (const auto& n : names) {
        paths << dir.filePath(n);
    }
    return paths;
}

QVector<Packet> packets(const QJsonDocument& probe) {
    QVector<Packet> out;
    for (const auto& v : probe.object().value("packets").toArray()) {
        const auto o = v.toObject();
        if (o.value("stream_index").toInt() != 0) {
            continue;
        }
        Packet p;
        p.ptsSeconds = o.value("pts_time").toString().toDouble();
        p.dtsSeconds = o.value("dts_time").toString().toDouble();
        p.isKey = o.value("flags").toString().contains('K');
        out.push_back(p);
    }
    return out;
}

QStringList codecsAndWidths(const QString& url) {
    const Run r = run("ffprobe", {"-v", "error", "-show_streams", "-of", "json", url}, 60000);
    QStringList out;
    for (const auto& v : QJsonDocument::fromJson(r.out).object().value("streams").toArray()) {
        const auto s = v.toObject();
        const QString item = s.value("codec_name").toString() +
                             (s.contains("width") ? QString::number(s.value("width").toInt()) : "");
        if (!out.contains(item)) {
            out << item;
        }
    }
    out.sort();
    return out;
}

QString podiumCli() { return QStringLiteral(PODIUM_BINARY_DIR "/app/podium-cli"); }

}  // namespace probe
