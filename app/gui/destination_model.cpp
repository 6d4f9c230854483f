#include "app/gui/destination_model.h"

namespace podium::gui {

void DestinationModel::setDestinations(const QVector<RemoteDestination>& list) {
    beginResetModel();
    list_ = list;
    endResetModel();
    emit destinationsChanged();
}

void DestinationModel::add(const RemoteDestination& destination) {
    const int row = int(list_.size());
    beginInsertRows({}, row, row);
    list_.push_back(destination);
    endInsertRows();
    emit destinationsChanged();
}

void DestinationModel::remove(int row) {
    if (row < 0 || row >= list_.size()) {
        return;
    }
    beginRemoveRows({}, row, row);
    list_.removeAt(row);
    endRemoveRows();
    emit destinationsChanged();
}

int DestinationModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(list_.size());
}

int DestinationModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DestinationModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const auto& d = list_[index.row()];
    if (role == Qt::CheckStateRole && index.column() == Url) {
        return d.enabled ? Qt::Checked : Qt::Unchecked;
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) {
        return {};
    }
    switch (index.column()) {
        case Url:
            return d.url;
        case Protocol:
            return protocolName(d.protocol);
        case User:
            return d.username.isEmpty() ? tr("(none)") : d.username;
        default:
            return {};
    }
}

bool DestinationModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
        role != Qt::CheckStateRole || index.column() != Url) {
        return false;
    }
    list_[index.row()].enabled = value.toInt() == Qt::Checked;
    emit dataChanged(index, index, {Qt::CheckStateRole});
    emit destinationsChanged();
    return true;
}

Qt::ItemFlags DestinationModel::flags(const QModelIndex& index) const {
    if (!index.isValid()) {
        return Qt::NoItemFlags;
    }
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == Url) {
        f |= Qt::ItemIsUserCheckable;
    }
    return f;
}

QVariant DestinationModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
        case Url:
            return tr("Publishing point");
        case Protocol:
            return tr("Protocol");
        case User:
            return tr("User");
        default:
            return {};
    }
}

}  // namespace podium::gui
