#include "app/cli/origin_options.h"

namespace podium::cli {

using publisher::origin::kOriginLimitRows;
using publisher::origin::LimitUnit;
using publisher::origin::OriginLimitRow;
using publisher::origin::OriginLimits;

namespace {

const char* valueName(LimitUnit unit) {
    switch (unit) {
        case LimitUnit::Bytes:
            return "BYTES";
        case LimitUnit::Seconds:
            return "SECONDS";
        case LimitUnit::BytesPerSecond:
            return "BYTES";
        case LimitUnit::Count:
            break;
    }
    return "N";
}

}  // namespace

void addOriginLimitOptions(QCommandLineParser& parser) {
    const OriginLimits defaults;
    for (const OriginLimitRow& row : kOriginLimitRows) {
        const std::string help =
            "Limit: " + std::string(row.what) + "; over it: " + std::string(row.overLimit) +
            " (default " + publisher::origin::formatLimitValue(row, limitValue(defaults, row)) +
            ").";
        parser.addOption(QCommandLineOption(QString::fromUtf8(row.flag.data(), row.flag.size()),
                                            QString::fromStdString(help), valueName(row.unit)));
    }
}

Result<OriginLimits> originLimitsFrom(const QCommandLineParser& parser) {
    OriginLimits limits;
    for (const OriginLimitRow& row : kOriginLimitRows) {
        const QString flag = QString::fromUtf8(row.flag.data(), row.flag.size());
        if (!parser.isSet(flag)) {
            continue;
        }
        auto value = publisher::origin::parseLimitValue(row, parser.value(flag).toStdString());
        if (!value) {
            return makeError(value.error());
        }
        if (auto set = setLimitValue(limits, row, *value); !set) {
            return makeError(set.error());
        }
    }
    return limits;
}

Result<std::optional<std::string>> secretOption(const QCommandLineParser& parser,
                                                const QString& name) {
    if (!parser.isSet(name)) {
        return std::optional<std::string>();
    }
    const std::string value = parser.value(name).toStdString();
    if (value.empty()) {
        return makeError(ErrorCode::InvalidArgument,
                         "--" + name.toStdString() + " must not be empty");
    }
    return std::optional<std::string>(value);
}

}  // namespace podium::cli
