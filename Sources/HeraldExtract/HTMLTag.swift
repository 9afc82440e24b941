/// The element names the extractor treats specially.
enum HTMLTag: UInt8 {
    case other, html, head, body, title, meta, link, script, style, noscript, template, svg, math, form, button,
        iframe, nav, aside, footer, header, main, article, section, div, p, br, hr, h1, h2, h3, h4, h5, h6, li, ul,
        ol, blockquote, pre, table, tbody, thead, tfoot, tr, td, th, caption, a, figure, figcaption, img, picture,
        video, audio, canvas, object, embed, select, input, textarea, label, option, dl, dt, dd, time, address,
        center, fieldset, details, summary, menu, dialog, font, span, b, i, em, strong, small, sup, sub, code, q,
        cite, u, abbr, mark, source

    init(name: String) {
        self = HTMLTag.byName[name] ?? .other
    }

    private static let byName: [String: HTMLTag] = {
        let all: [HTMLTag] = [
            .html, .head, .body, .title, .meta, .link, .script, .style, .noscript, .template, .svg, .math, .form,
            .button, .iframe, .nav, .aside, .footer, .header, .main, .article, .section, .div, .p, .br, .hr, .h1, .h2,
            .h3, .h4, .h5, .h6, .li, .ul, .ol, .blockquote, .pre, .table, .tbody, .thead, .tfoot, .tr, .td, .th,
            .caption, .a, .figure, .figcaption, .img, .picture, .video, .audio, .canvas, .object, .embed, .select,
            .input, .textarea, .label, .option, .dl, .dt, .dd, .time, .address, .center, .fieldset, .details,
            .summary, .menu, .dialog, .font, .span, .b, .i, .em, .strong, .small, .sup, .sub, .code, .q, .cite, .u,
            .abbr, .mark, .source,
        ]
        var map: [String: HTMLTag] = [:]
        for tag in all { map["\(tag)"] = tag }
        return map
    }()

    var isHeading: Bool {
        switch self {
        case .h1, .h2, .h3, .h4, .h5, .h6: return true
        default: return false
        }
    }

    /// Elements whose content is never article text.
    var isAlwaysDropped: Bool {
        switch self {
        case .script, .style, .template, .svg, .math, .iframe, .select, .input, .textarea, .option, .canvas,
            .object, .embed, .video, .audio, .dialog, .source, .picture, .img, .menu:
            return true
        default:
            return false
        }
    }

    /// Elements whose content is normally not read but can be the page's content: `<noscript>` holding the page
    /// for crawlers, a `<button>` that swallowed the page through a missing end tag, a `<head>` that libxml2 filled
    /// with body text. Dropped unless they hold most of the page's prose.
    var isUsuallyDropped: Bool {
        switch self {
        case .head, .noscript, .button: return true
        default: return false
        }
    }

    /// Elements that start and end a paragraph of text.
    var isBlock: Bool {
        switch self {
        case .html, .body, .main, .article, .section, .div, .p, .hr, .h1, .h2, .h3, .h4, .h5, .h6, .li, .ul, .ol,
            .blockquote, .pre, .table, .tbody, .thead, .tfoot, .tr, .td, .th, .caption, .figure, .figcaption, .dl,
            .dt, .dd, .address, .center, .fieldset, .details, .summary, .header, .footer, .nav, .aside, .form:
            return true
        default:
            return false
        }
    }

    /// Rows, cells and row groups of a table.
    var isTablePart: Bool {
        switch self {
        case .tr, .td, .th, .tbody, .thead, .tfoot: return true
        default: return false
        }
    }

    /// Inline formatting and links.
    var isPhrasing: Bool {
        switch self {
        case .a, .b, .i, .em, .strong, .small, .sup, .sub, .code, .q, .cite, .u, .abbr, .mark, .font, .time, .label:
            return true
        default:
            return false
        }
    }

    /// Blocks that are a paragraph themselves (their text scores their parent container).
    var isParagraphLike: Bool {
        switch self {
        case .p, .pre, .blockquote, .li, .dd, .dt, .h1, .h2, .h3, .h4, .h5, .h6, .figcaption, .address, .caption:
            return true
        default:
            return false
        }
    }
}
