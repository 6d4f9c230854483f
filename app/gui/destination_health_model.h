#pragma once

#include <QAbstractTableModel>
#include <vector>

#include "app/session/session.h"

namespace podium::gui {

/// Per-destination health while live (archive, local origin, publishing points): its state, its
/// problem in words, and its audience as the viewers report it (the local origin's, or another
/// podium-origin's). Fed by update() with Session::stats() snapshots. GUI thread only.
class DestinationHealthModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Destination = 0,
        State,
        Audience,
        Queued,
        LastHttpStatus,
        Retries,
        Problem,
        ColumnCount
    };

    using QAbstractTableModel::QAbstractTableModel;
    void update(const std::vector<app::DestinationStatus>& destinations);
    void clear();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString name;
        QString state;
        bool failed = false;
        QString problem;
        uint64_t bytesQueued = 0;
        long lastHttpStatus = 0;
        uint64_t retries = 0;
        QString audience;  ///< empty when the destination does not say
    };
    std::vector<Row> rows_;
};

}  // namespace podium::gui
