#pragma once

#include <QAbstractTableModel>
#include <QVector>

#include "app/gui/remote_destination.h"

namespace podium::gui {

/// The remote publishing points the user configured: URL, inferred protocol, user name, and
/// an enabled check box. Editable only through add/remove and the check box. GUI thread only.
class DestinationModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Url = 0, Protocol, User, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;
    void setDestinations(const QVector<RemoteDestination>& list);
    [[nodiscard]] const QVector<RemoteDestination>& destinations() const { return list_; }
    void add(const RemoteDestination& destination);
    void remove(int row);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

signals:
    void destinationsChanged();

private:
    QVector<RemoteDestination> list_;
};

}  // namespace podium::gui
