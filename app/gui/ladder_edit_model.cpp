#include "app/gui/ladder_edit_model.h"

namespace podium::gui {

void LadderEditModel::setRenditions(std::vector<encoder::RenditionSpec> renditions) {
    beginResetModel();
    renditions_ = std::move(renditions);
    endResetModel();
}

int LadderEditModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(renditions_.size());
}

int LadderEditModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LadderEditModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    if (role != Qt::DisplayRole && role != Qt::EditRole) {
        return {};
    }
    const auto& r = renditions_[size_t(index.row())];
    switch (index.column()) {
        case Id:
            return QString::fromStdString(r.id);
        case Width:
            return r.width;
        case Height:
            return r.height;
        case Bitrate:
            return r.bitrateKbps;
        case MaxBitrate:
            return r.maxBitrateKbps;
        default:
            return {};
    }
}

bool LadderEditModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (role != Qt::EditRole ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return false;
    }
    auto& r = renditions_[size_t(index.row())];
    if (index.column() == Id) {
        r.id = value.toString().trimmed().toStdString();
    } else {
        bool ok = false;
        const int number = value.toInt(&ok);
        if (!ok) {
            return false;
        }
        int* fields[] = {nullptr, &r.width, &r.height, &r.bitrateKbps, &r.maxBitrateKbps};
        *fields[index.column()] = number;
    }
    emit dataChanged(index, index, {Qt::DisplayRole, Qt::EditRole});
    return true;
}

Qt::ItemFlags LadderEditModel::flags(const QModelIndex& index) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return Qt::NoItemFlags;
    }
    return Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsEditable;
}

QVariant LadderEditModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
        case Id:
            return tr("Rendition");
        case Width:
            return tr("Width");
        case Height:
            return tr("Height");
        case Bitrate:
            return tr("kb/s");
        case MaxBitrate:
            return tr("Peak kb/s");
        default:
            return {};
    }
}

bool LadderEditModel::insertRows(int row, int count, const QModelIndex& parent) {
    if (parent.isValid() || row < 0 || row > rowCount() || count <= 0) {
        return false;
    }
    beginInsertRows(parent, row, row + count - 1);
    for (int i = 0; i < count; ++i) {
        encoder::RenditionSpec r{"new", 640, 360, 600, 600};
        if (row > 0) {
            const auto& above = renditions_[size_t(row - 1)];
            r = {above.id + "-low", above.width / 4 * 2, above.height / 4 * 2,
                 std::max(1, above.bitrateKbps / 2), std::max(1, above.maxBitrateKbps / 2)};
        }
        renditions_.insert(renditions_.begin() + row, r);
    }
    endInsertRows();
    return true;
}

bool LadderEditModel::removeRows(int row, int count, const QModelIndex& parent) {
    if (parent.isValid() || row < 0 || count <= 0 || row + count > rowCount()) {
        return false;
    }
    beginRemoveRows(parent, row, row + count - 1);
    renditions_.erase(renditions_.begin() + row, renditions_.begin() + row + count);
    endRemoveRows();
    return true;
}

}  // namespace podium::gui
