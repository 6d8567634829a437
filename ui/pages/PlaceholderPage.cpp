// A titled page with one explanatory paragraph.
#include "ui/pages/PlaceholderPage.h"

#include <QLabel>
#include <QVBoxLayout>

namespace cove::ui {

PlaceholderPage::PlaceholderPage(const QString& title, const QString& description, QWidget* parent)
    : QWidget(parent) {
    auto* heading = new QLabel(title, this);
    QFont f = heading->font();
    f.setPointSizeF(f.pointSizeF() * 1.5);
    f.setBold(true);
    heading->setFont(f);
    auto* text = new QLabel(description, this);
    text->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addWidget(text);
    layout->addStretch(1);
}

} // namespace cove::ui
