#include "app/gui/rendition_health_model.h"

namespace podium::gui {

void RenditionHealthModel::update(const app::SessionStats& stats) {
    std::vector<Row> next;
    const double dt = hasPrevious_ ? stats.elapsedSeconds - previous_.elapsedSeconds : 0.0;
    for (size_t i = 0; i < stats.ladder.renditions.size(); ++i) {
        const auto& r = stats.ladder.renditions[i];
        Row row;
        row.id = QString::fromStdString(r.id);
        row.queued = r.queuedFrames;
        row.dropped = stats.ladder.droppedFrames;
        if (dt > 0 && i < previous_.ladder.renditions.size()) {
            const auto& before = previous_.ladder.renditions[i];
            row.fps = double(r.framesEncoded - before.framesEncoded) / dt;
            row.kbps = double(r.bytesOut - before.bytesOut) * 8.0 / 1000.0 / dt;
        }
        next.push_back(row);
    }
    previous_ = stats;
    hasPrevious_ = true;
    if (next.size() != rows_.size()) {
        beginResetModel();
        rows_ = std::move(next);
        endResetModel();
        return;
    }
    rows_ = std::move(next);
    if (!rows_.empty()) {
        emit dataChanged(index(0, 0), index(int(rows_.size()) - 1, ColumnCount - 1));
    }
}

void RenditionHealthModel::clear() {
    beginResetModel();
    rows_.clear();
    previous_ = {};
    hasPrevious_ = false;
    endResetModel();
}

int RenditionHealthModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(rows_.size());
}

int RenditionHealthModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RenditionHealthModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Row& r = rows_[size_t(index.row())];
    if (role == kValueRole) {
        switch (index.column()) {
            case Rendition:
                return r.id;
            case Fps:
                return r.fps;
            case Bitrate:
                return r.kbps;
            case Queued:
                return r.queued;
            case Dropped:
                return r.dropped;
            default:
                return {};
        }
    }
    if (role == Qt::TextAlignmentRole) {
        return index.column() == Rendition ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                           : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    switch (index.column()) {
        case Rendition:
            return r.id;
        case Fps:
            return QString::number(r.fps, 'f', 1);
        case Bitrate:
            return tr("%1 kb/s").arg(qRound(r.kbps));
        case Queued:
            return QString::number(r.queued);
        case Dropped:
            return QString::number(r.dropped);
        default:
            return {};
    }
}

QVariant RenditionHealthModel::headerData(int section, Qt::Orientation orientation,
                                          int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
        case Rendition:
            return tr("Rendition");
        case Fps:
            return tr("FPS");
        case Bitrate:
            return tr("Bitrate");
        case Queued:
            return tr("Encoder lag (frames)");
        case Dropped:
            return tr("Dropped");
        default:
            return {};
    }
}

}  // namespace podium::gui
