#include "app/gui/destination_health_model.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

#include "app/gui/problem_text.h"
#include "app/session/audience_text.h"

namespace podium::gui {

void DestinationHealthModel::update(const std::vector<app::DestinationStatus>& destinations) {
    std::vector<Row> next;
    for (const auto& d : destinations) {
        next.push_back(
            {QString::fromStdString(d.name), describeDestinationState(d.state),
             d.state == app::DestinationState::Failed, describeDestinationProblem(d), d.bytesQueued,
             d.lastHttpStatus, d.retries,
             d.audience ? QString::fromStdString(app::audienceDetails(*d.audience)) : QString()});
    }
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

void DestinationHealthModel::clear() {
    beginResetModel();
    rows_.clear();
    endResetModel();
}

int DestinationHealthModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(rows_.size());
}

int DestinationHealthModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DestinationHealthModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Row& r = rows_[size_t(index.row())];
    if (role == Qt::ForegroundRole && index.column() != Destination && r.failed) {
        return QBrush(QColor(0xc0, 0x20, 0x20));
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) {
        return {};
    }
    switch (index.column()) {
        case Destination:
            return r.name;
        case State:
            return r.state;
        case Audience:
            return r.audience.isEmpty() ? QVariant(QString("-")) : QVariant(r.audience);
        case Queued:
            return QLocale().formattedDataSize(qint64(r.bytesQueued));
        case LastHttpStatus:
            return r.lastHttpStatus ? QVariant(qlonglong(r.lastHttpStatus))
                                    : QVariant(QString("-"));
        case Retries:
            return qulonglong(r.retries);
        case Problem:
            return r.problem;
        default:
            return {};
    }
}

QVariant DestinationHealthModel::headerData(int section, Qt::Orientation orientation,
                                            int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
        case Destination:
            return tr("Destination");
        case State:
            return tr("State");
        case Audience:
            return tr("Audience");
        case Queued:
            return tr("Queued");
        case LastHttpStatus:
            return tr("HTTP");
        case Retries:
            return tr("Retries");
        case Problem:
            return tr("Problem");
        default:
            return {};
    }
}

}  // namespace podium::gui
