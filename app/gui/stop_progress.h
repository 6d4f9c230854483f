#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;

namespace podium::gui {

/// While a broadcast stops: what it waits for, in words ("Stopping: finishing the archive,
/// 2 destinations sending the last segments (at most 25 s more)"), and a bar that runs down
/// to the deadline after which slow destinations are given up. Hidden otherwise.
/// GUI thread only; fed by SessionController::stopProgressChanged.
class StopProgress : public QWidget {
    Q_OBJECT
public:
    explicit StopProgress(QWidget* parent = nullptr);

    void showProgress(const QString& words, double secondsLeft, double deadlineSeconds);
    void finish();
    [[nodiscard]] QString text() const;

private:
    QLabel* words_ = nullptr;
    QProgressBar* bar_ = nullptr;
};

}  // namespace podium::gui
