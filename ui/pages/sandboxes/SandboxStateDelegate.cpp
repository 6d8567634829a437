#include "ui/pages/sandboxes/SandboxStateDelegate.h"

#include "app/SandboxModel.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QPainter>
#include <QPainterPath>

namespace cove::ui {

namespace {

constexpr int kFrameMs = 80;
constexpr int kFrames = 12;
constexpr int kPad = 6;

// Green for running, amber for paused (frozen, still holding its CPU and memory), red for failed, grey for
// stopped, purple for archived, blue for on the way.
QColor colourOf(app::SandboxState state) {
    using S = app::SandboxState;
    switch (state) {
    case S::Started:
        return {0x1a, 0x7f, 0x37};
    case S::Error:
    case S::BuildFailed:
        return {0xc0, 0x1c, 0x28};
    case S::Paused:
        return {0xa3, 0x5f, 0x00};
    case S::Stopped:
        return {0x5e, 0x5c, 0x64};
    case S::Archived:
        return {0x6a, 0x4c, 0x93};
    case S::Destroying:
        return {0xa5, 0x1d, 0x2d};
    default:
        return app::isTransitional(state) ? QColor(0x1c, 0x71, 0xd8) : QColor(0x77, 0x76, 0x7b);
    }
}

} // namespace

SandboxStateDelegate::SandboxStateDelegate(QAbstractItemView* view)
    : QStyledItemDelegate(view)
    , m_view(view) {
    m_spin.setInterval(kFrameMs);
    connect(&m_spin, &QTimer::timeout, this, [this] {
        // Nothing turning was painted since the last frame: the spinners are gone or scrolled away.
        if (!m_paintedSpinner) {
            m_spin.stop();
            return;
        }
        m_paintedSpinner = false;
        m_frame = (m_frame + 1) % kFrames;
        m_view->viewport()->update();
    });
}

QSize SandboxStateDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const {
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    const int h = option.fontMetrics.height();
    s.setWidth(s.width() + h + 3 * kPad);
    s.setHeight(std::max(s.height(), h + kPad));
    return s;
}

void SandboxStateDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                                 const QModelIndex& index) const {
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    const QWidget* widget = opt.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget); // selection and background

    const app::SandboxState state =
        app::sandboxStateFromString(index.data(app::SandboxModel::StateRole).toString());
    const bool moving = app::isTransitional(state);
    const QColor colour = colourOf(state);
    const QFontMetrics& fm = opt.fontMetrics;
    const int h = fm.height() + 2;
    const int spinner = moving ? fm.height() - 4 : 0;
    const int width = std::min(opt.rect.width() - 4,
                               fm.horizontalAdvance(text) + 2 * kPad + 4 + (moving ? spinner + kPad / 2 : 0));
    const QRect badge(opt.rect.left() + 2, opt.rect.center().y() - h / 2, width, h);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QColor fill = colour;
    fill.setAlpha(36);
    painter->setPen(QPen(colour, 1));
    painter->setBrush(fill);
    painter->drawRoundedRect(QRectF(badge).adjusted(0.5, 0.5, -0.5, -0.5), h / 2.0, h / 2.0);
    int textLeft = badge.left() + kPad;
    if (moving) {
        const QRectF ring(textLeft, badge.center().y() - spinner / 2.0 + 0.5, spinner, spinner);
        painter->setPen(QPen(colour, 2, Qt::SolidLine, Qt::RoundCap));
        painter->setBrush(Qt::NoBrush);
        painter->drawArc(ring, -m_frame * (360 / kFrames) * 16, 270 * 16);
        textLeft += spinner + kPad / 2;
        m_paintedSpinner = true;
        if (!m_spin.isActive())
            m_spin.start();
    }
    painter->setPen(colour.darker(115));
    const QRect textRect(textLeft, badge.top(), badge.right() - kPad - textLeft + 1, badge.height());
    painter->drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft,
                      fm.elidedText(text, Qt::ElideRight, textRect.width()));
    painter->restore();
}

} // namespace cove::ui
