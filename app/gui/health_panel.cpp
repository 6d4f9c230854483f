#include "app/gui/health_panel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

#include "app/gui/session_controller.h"

namespace podium::gui {

namespace {
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

HealthPanel::HealthPanel(SessionController& controller, QWidget* parent) : QWidget(parent) {
    problem_ = new QLabel(this);
    problem_->setObjectName("problem");
    problem_->setWordWrap(true);
    problem_->setStyleSheet("color: #c02020; font-weight: bold;");
    problem_->hide();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(problem_);
    layout->addWidget(makeTable(controller.renditionHealth(), "renditionHealth", this));
    layout->addWidget(makeTable(controller.destinationHealth(), "destinationHealth", this));
    connect(&controller, &SessionController::problemChanged, this, &HealthPanel::showProblem);
}

void HealthPanel::showProblem(const QString& words) {
    problem_->setText(words);
    problem_->setVisible(!words.isEmpty());
}

}  // namespace podium::gui
