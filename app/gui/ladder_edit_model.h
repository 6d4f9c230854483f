#pragma once

#include <QAbstractTableModel>
#include <vector>

#include "encoder/preset.h"

namespace podium::gui {

/// The ladder of a preset being edited: one row per rendition, every cell editable (id, width,
/// height, bitrate, peak bitrate), rows added and removed. It accepts any integer: the preset
/// loader's validation (encoder::validateUserPreset) judges the whole preset and says what is
/// wrong in its own words. GUI thread only. Sizes in pixels, bitrates in kbit/s.
class LadderEditModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Id = 0, Width, Height, Bitrate, MaxBitrate, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;
    void setRenditions(std::vector<encoder::RenditionSpec> renditions);
    [[nodiscard]] const std::vector<encoder::RenditionSpec>& renditions() const {
        return renditions_;
    }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    /// New rows copy the row above at half its size and bitrate (a sensible next rung).
    bool insertRows(int row, int count, const QModelIndex& parent = {}) override;
    bool removeRows(int row, int count, const QModelIndex& parent = {}) override;

private:
    std::vector<encoder::RenditionSpec> renditions_;
};

}  // namespace podium::gui
