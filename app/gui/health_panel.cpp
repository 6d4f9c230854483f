#include "app/gui/health_panel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <cmath>

#include "app/gui/session_controller.h"

namespace podium::gui {

namespace {
constexpr int kMeterIntervalMs = 100;
constexpr double kMeterFloorDb = -60.0;

QTableView* makeTable(QAbstractItemModel* model, const QString& name, QWidget* parent) {
    auto* table = new QTableView(parent);
    table->setObjectName(name);
    table->setModel(model);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    table->setSelectionMode(QAbstractItemView::NoSelection);
    table->setMinimumHeight(120);
    table->setMaximumHeight(150);
    return table;
}
}  // namespace

HealthPanel::HealthPanel(SessionController& controller, QWidget* parent)
    : QWidget(parent), controller_(controller) {
    problem_ = new QLabel(this);
    problem_->setObjectName("problem");
    problem_->setWordWrap(true);
    problem_->setStyleSheet("color: #c02020; font-weight: bold;");
    problem_->hide();
    meter_ = new QProgressBar(this);
    meter_->setObjectName("audioMeter");
    meter_->setOrientation(Qt::Vertical);
    meter_->setRange(0, 100);
    meter_->setTextVisible(false);
    meter_->setToolTip(tr("Audio level (peak, −60 to 0 dBFS)"));
    meter_->setMaximumWidth(18);
    auto* tables = new QVBoxLayout;
    tables->addWidget(makeTable(controller.renditionHealth(), "renditionHealth", this));
    tables->addWidget(makeTable(controller.destinationHealth(), "destinationHealth", this));
    auto* row = new QHBoxLayout;
    row->addLayout(tables, 1);
    row->addWidget(meter_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(problem_);
    layout->addLayout(row);
    connect(&controller, &SessionController::problemChanged, this, &HealthPanel::showProblem);
    auto* timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, &HealthPanel::updateMeter);
    timer->start(kMeterIntervalMs);
}

void HealthPanel::showProblem(const QString& words) {
    problem_->setText(words);
    problem_->setVisible(!words.isEmpty());
}

void HealthPanel::updateMeter() {
    meter_->setVisible(controller_.hasAudio());
    const double peak = controller_.audioPeak();
    const double db = peak > 0 ? 20.0 * std::log10(peak) : kMeterFloorDb;
    meter_->setValue(
        int(std::lround(100.0 * (std::max(db, kMeterFloorDb) - kMeterFloorDb) / -kMeterFloorDb)));
}

}  // namespace podium::gui
