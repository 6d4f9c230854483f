#include "app/gui/stop_progress.h"

#include <QLabel>
#include <QProgressBar>
#include <QVBoxLayout>
#include <cmath>

namespace podium::gui {

StopProgress::StopProgress(QWidget* parent) : QWidget(parent) {
    setObjectName("stopProgress");
    words_ = new QLabel(this);
    words_->setObjectName("stopWords");
    words_->setWordWrap(true);
    bar_ = new QProgressBar(this);
    bar_->setTextVisible(false);
    bar_->setMaximumHeight(10);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(words_);
    layout->addWidget(bar_);
    hide();
}

void StopProgress::showProgress(const QString& words, double secondsLeft, double deadlineSeconds) {
    words_->setText(words);
    if (secondsLeft > 0 && deadlineSeconds > 0) {
        bar_->setRange(0, int(std::lround(deadlineSeconds * 10)));
        bar_->setValue(int(std::lround(secondsLeft * 10)));
    } else {
        bar_->setRange(0, 0);  // busy: the encoders flush, no deadline yet
    }
    show();
}

void StopProgress::finish() {
    hide();
    words_->clear();
}

QString StopProgress::text() const {
    return words_->text();
}

}  // namespace podium::gui
