// A page whose content arrives in a later release: says so instead of showing nothing.
#pragma once

#include <QWidget>

namespace cove::ui {

class PlaceholderPage : public QWidget {
    Q_OBJECT
public:
    PlaceholderPage(const QString& title, const QString& description, QWidget* parent = nullptr);
};

} // namespace cove::ui
