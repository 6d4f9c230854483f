#pragma once

#include <QAbstractTableModel>

#include "encoder/preset.h"

namespace podium::gui {

/// The chosen preset's ladder as a table: rendition, size, bitrate, peak bitrate. Read-only.
/// GUI thread only. Bitrates in kbit/s.
class LadderModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Rendition = 0, Size, Bitrate, MaxBitrate, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;
    void setPreset(const encoder::Preset& preset);
    [[nodiscard]] const encoder::Preset& preset() const { return preset_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    encoder::Preset preset_;
};

}  // namespace podium::gui
