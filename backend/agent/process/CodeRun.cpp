// Language runners for code-run. Python gets a small prelude when the code uses matplotlib: it replaces
// pyplot.show() with one that prints each open figure as a chart artifact (data and a PNG), typed as the
// SDK's ChartType says: line, scatter, bar, pie, box_and_whisker, or composite_chart for a figure of
// several axes.
#include "agent/process/CodeRun.h"
#include "common/Base64.h"

#include <nlohmann/json.hpp>

#include <sstream>

namespace cove::agent {

namespace {

// Runs the user's code as __main__ after patching pyplot.show. The code travels base64-encoded so no
// quoting can break the prelude.
constexpr const char* kPythonChartPrelude = R"PY(import base64 as _b64, io as _io, json as _json, sys as _sys
def _cove_install_charts():
    import matplotlib
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes
    from matplotlib.container import BarContainer
    def name(label):
        return "" if str(label).startswith("_") else str(label)
    def num(v):
        try:
            return float(v)
        except Exception:
            return str(v)
    # pie() and boxplot() leave what they drew on the axes: their artists alone say what the parts mean.
    real_pie, real_boxplot = Axes.pie, Axes.boxplot
    def pie(self, *args, **kwargs):
        out = real_pie(self, *args, **kwargs)
        self._cove_pies = getattr(self, "_cove_pies", []) + [out]
        return out
    def boxplot(self, *args, **kwargs):
        out = real_boxplot(self, *args, **kwargs)
        vert = kwargs.get("vert", args[3] if len(args) > 3 else True)
        self._cove_boxes = getattr(self, "_cove_boxes", []) + [(out, vert is None or bool(vert))]
        return out
    Axes.pie, Axes.boxplot = pie, boxplot
    def kind(ax):
        lines = [l for l in ax.lines if len(l.get_xdata()) != 2 or l.get_xdata()[0] != l.get_xdata()[1]]
        if getattr(ax, "_cove_boxes", None):
            return "box_and_whisker"
        if getattr(ax, "_cove_pies", None):
            return "pie"
        if ax.containers and all(isinstance(c, BarContainer) for c in ax.containers):
            return "bar"
        if ax.collections and not lines:
            return "scatter"
        if lines and not ax.collections and not ax.patches:
            return "line"
        return "unknown"
    def tick_label(ax, pos, vert):
        ticks = ax.get_xticks() if vert else ax.get_yticks()
        labels = ax.get_xticklabels() if vert else ax.get_yticklabels()
        for t, l in zip(ticks, labels):
            if abs(t - pos) < 1e-9:
                return l.get_text()
        return str(num(pos))
    def boxes(ax):
        out = []
        for parts, vert in ax._cove_boxes:
            data = (lambda l: l.get_ydata()) if vert else (lambda l: l.get_xdata())
            where = (lambda l: l.get_xdata()) if vert else (lambda l: l.get_ydata())
            for i, median in enumerate(parts["medians"]):
                box = parts["boxes"][i]
                edge = box.get_path().vertices[:, 1 if vert else 0] if hasattr(box, "get_path") else data(box)
                whiskers = parts["whiskers"][2 * i:2 * i + 2]
                fliers = parts["fliers"][i] if i < len(parts["fliers"]) else None
                pos = sum(where(median)) / len(where(median))
                out.append({"label": tick_label(ax, pos, vert),
                            "min": num(min(min(data(w)) for w in whiskers)) if whiskers else num(min(edge)),
                            "first_quartile": num(min(edge)), "median": num(data(median)[0]),
                            "third_quartile": num(max(edge)),
                            "max": num(max(max(data(w)) for w in whiskers)) if whiskers else num(max(edge)),
                            "outliers": [num(v) for v in data(fliers)] if fliers is not None else []})
        return out
    def chart(ax):
        k = kind(ax)
        d = {"type": k, "title": ax.get_title(), "elements": []}
        if k != "pie":
            d.update({"x_label": ax.get_xlabel(), "y_label": ax.get_ylabel(),
                      "x_scale": ax.get_xscale(), "y_scale": ax.get_yscale(),
                      "x_ticks": [num(t) for t in ax.get_xticks()],
                      "x_tick_labels": [t.get_text() for t in ax.get_xticklabels()],
                      "y_ticks": [num(t) for t in ax.get_yticks()],
                      "y_tick_labels": [t.get_text() for t in ax.get_yticklabels()]})
        if k == "line":
            d["elements"] = [{"label": name(l.get_label()), "points": [[num(x), num(y)] for x, y in zip(l.get_xdata(), l.get_ydata())]}
                             for l in ax.lines]
        elif k == "scatter":
            d["elements"] = [{"label": name(c.get_label()), "points": [[num(x), num(y)] for x, y in c.get_offsets()]}
                             for c in ax.collections]
        elif k == "bar":
            for c in ax.containers:
                labels = [t.get_text() for t in ax.get_xticklabels()]
                ticks = list(ax.get_xticks())
                for r in c:
                    x = r.get_x() + r.get_width() / 2
                    label = next((labels[j] for j, t in enumerate(ticks) if abs(t - x) < 1e-9 and j < len(labels)), str(num(x)))
                    d["elements"].append({"label": label, "group": name(c.get_label()), "value": num(r.get_height())})
        elif k == "pie":
            for out in ax._cove_pies:
                wedges, texts = out[0], out[1]
                for i, w in enumerate(wedges):
                    d["elements"].append({"label": texts[i].get_text() if i < len(texts) else w.get_label(),
                                          "angle": num(abs(w.theta2 - w.theta1)), "radius": num(w.r)})
        elif k == "box_and_whisker":
            d["elements"] = boxes(ax)
        return d
    def show(*args, **kwargs):
        for n in plt.get_fignums():
            fig = plt.figure(n)
            axes = [a for a in fig.axes if a.has_data() and a.get_label() != "<colorbar>"]
            buf = _io.BytesIO()
            fig.savefig(buf, format="png", bbox_inches="tight") # draws the ticks' labels too
            if len(axes) == 1:
                value = chart(axes[0])
            else:
                title = fig._suptitle.get_text() if getattr(fig, "_suptitle", None) else ""
                value = {"type": "composite_chart", "title": title, "elements": [chart(a) for a in axes]}
            value["png"] = _b64.b64encode(buf.getvalue()).decode()
            print("dtn_artifact_k39fd2:" + _json.dumps({"type": "chart", "value": value}, default=str), flush=True)
        plt.close("all")
    plt.show = show
_cove_install_charts()
del _cove_install_charts
_code = _b64.b64decode("@CODE@").decode("utf-8", "replace")
_sys.argv[0] = "-"
exec(compile(_code, "<stdin>", "exec"), {"__name__": "__main__", "__builtins__": __builtins__})
)PY";

bool usesMatplotlib(const std::string& code) {
    std::istringstream in(code);
    for (std::string line; std::getline(in, line);) {
        const auto hash = line.find('#');
        if (line.substr(0, hash).find("matplotlib") != std::string::npos)
            return true;
    }
    return false;
}

// Node sees `node - a b` as argv [node, -, a, b]; drop the "-" (or the script path) so the code sees
// process.argv = [node, a, b], as Daytona's runner gives it.
constexpr const char* kNodeArgvFix = "process.argv.splice(1, 1);\n";

// tsx needs a file; the shell makes one as the sandbox user and removes it afterwards.
constexpr const char* kTypeScriptRunner =
    "f=$(mktemp /tmp/cove_code_XXXXXX.ts) || exit 126; cat > \"$f\"; "
    "if command -v tsx >/dev/null 2>&1; then tsx \"$f\" \"$@\"; "
    "else npm_config_loglevel=error npx --yes ts-node -T -O '{\"module\":\"CommonJS\"}' \"$f\" \"$@\"; fi; "
    "ec=$?; rm -f \"$f\"; exit $ec";
} // namespace

std::optional<CodeRunCommand> codeRunCommand(const std::string& language, const std::string& code,
                                             const std::vector<std::string>& args) {
    CodeRunCommand c;
    if (language == "python") {
        c.argv = {"python3", "-u", "-"};
        if (usesMatplotlib(code)) {
            std::string prelude = kPythonChartPrelude;
            prelude.replace(prelude.find("@CODE@"), 6, base64Encode(code));
            c.input = std::move(prelude);
        } else {
            c.input = code;
        }
    } else if (language == "javascript") {
        c.argv = {"node", "-"};
        c.input = kNodeArgvFix + code;
    } else if (language == "typescript") {
        c.argv = {"/bin/sh", "-c", kTypeScriptRunner, "sh"};
        c.input = kNodeArgvFix + code;
    } else {
        return std::nullopt;
    }
    c.argv.insert(c.argv.end(), args.begin(), args.end());
    return c;
}

nlohmann::json extractCharts(std::string& output) {
    auto charts = nlohmann::json::array();
    const std::string marker = kArtifactMarker;
    if (output.find(marker) == std::string::npos)
        return charts;
    std::string kept;
    kept.reserve(output.size());
    std::size_t pos = 0;
    while (pos <= output.size()) {
        const auto nl = output.find('\n', pos);
        const std::size_t end = nl == std::string::npos ? output.size() : nl;
        const std::string_view line(output.data() + pos, end - pos);
        if (line.substr(0, marker.size()) == marker) {
            auto j = nlohmann::json::parse(line.substr(marker.size()), nullptr, false);
            if (j.is_object() && j.value("type", "") == "chart" && j.contains("value") &&
                j["value"].is_object())
                charts.push_back(std::move(j["value"]));
        } else {
            kept.append(line);
            if (nl != std::string::npos)
                kept.push_back('\n');
        }
        if (nl == std::string::npos)
            break;
        pos = nl + 1;
    }
    output = std::move(kept);
    return charts;
}

} // namespace cove::agent
