#pragma once

#include <QAbstractTableModel>
#include <vector>

#include "app/session/session.h"

namespace podium::gui {

/// Per-rendition health while live: frames per second and bitrate over the last stats interval,
/// frames waiting in the rendition's queue (encoder lag) and frames dropped (shared by every
/// rendition). Fed by update() with successive Session::stats() snapshots. GUI thread only.
class RenditionHealthModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Rendition = 0, Fps, Bitrate, Queued, Dropped, ColumnCount };
    /// Raw numbers for tests and the status bar (Qt::UserRole): fps as double, kb/s as double.
    static constexpr int kValueRole = Qt::UserRole;

    struct Row {
        QString id;
        double fps = 0;
        double kbps = 0;
        qulonglong queued = 0;
        qulonglong dropped = 0;
    };

    using QAbstractTableModel::QAbstractTableModel;
    /// Rates are measured between this snapshot and the previous one.
    void update(const app::SessionStats& stats);
    void clear();
    [[nodiscard]] const std::vector<Row>& rows() const { return rows_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<Row> rows_;
    app::SessionStats previous_;
    bool hasPrevious_ = false;
};

}  // namespace podium::gui
