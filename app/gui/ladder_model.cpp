#include "app/gui/ladder_model.h"

namespace podium::gui {

void LadderModel::setPreset(const encoder::Preset& preset) {
    beginResetModel();
    preset_ = preset;
    endResetModel();
}

int LadderModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(preset_.renditions.size());
}

int LadderModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LadderModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const auto& r = preset_.renditions[size_t(index.row())];
    if (role == Qt::TextAlignmentRole) {
        return index.column() == Rendition ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                           : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    switch (index.column()) {
        case Rendition:
            return QString::fromStdString(r.id);
        case Size:
            return QStringLiteral("%1×%2").arg(r.width).arg(r.height);
        case Bitrate:
            return tr("%1 kb/s").arg(r.bitrateKbps);
        case MaxBitrate:
            return tr("%1 kb/s").arg(r.maxBitrateKbps);
        default:
            return {};
    }
}

QVariant LadderModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
        case Rendition:
            return tr("Rendition");
        case Size:
            return tr("Size");
        case Bitrate:
            return tr("Bitrate");
        case MaxBitrate:
            return tr("Peak");
        default:
            return {};
    }
}

}  // namespace podium::gui
