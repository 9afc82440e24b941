/// Made-up articles for the tests: two outlets' reports on the same council vote (sharing a quote and some
/// facts, as wire-based stories do) and a Chinese pair on the same topic.
enum ArticleSamples {
    static let tramReportA = """
        Riverside council approves eastern tram line after six-hour debate
        The city council of Riverside voted 31 to 12 late on Tuesday night to build a tram line linking the \
        eastern suburbs with the central station, ending a dispute that has divided the city for almost a decade.
        The line will run for 14 kilometres along Harbour Road and Mill Street, with 19 stops, and is expected to \
        carry 60,000 passengers a day once it opens, according to the transport department's own estimates.
        "This is the day the east side finally gets the connection it was promised in 2015," mayor Helena Brandt \
        told reporters outside the chamber, adding that the first construction contracts would be signed in spring.
        Opponents argued that the projected cost of 740 million euros was unrealistic. Councillor Piet Jansen of \
        the Civic Alliance said similar projects in other cities had run over budget by a third or more, and that \
        the money would be better spent on electric buses that could be deployed within two years.
        Shopkeepers on Mill Street, who fear three years of roadworks, staged a silent protest in the public \
        gallery. Their association has asked for compensation for lost trade and for night work where possible.
        The regional government has promised to cover forty per cent of the cost, while the rest will come from \
        a municipal bond and a loan from the European Investment Bank that is still being negotiated.
        Construction is due to begin next autumn, and the first trams are expected to run in 2030 if the \
        schedule holds. The council will publish the detailed route plans for public consultation next month.
        """

    static let tramReportB = """
        Tram to the east side: what the vote means for commuters
        After years of studies and three failed proposals, Riverside will get its eastern tram. Councillors \
        backed the plan by a comfortable margin on Tuesday, but the hardest part, paying for it, is still ahead.
        For the roughly 80,000 people living between the harbour and the ring road, the line promises a journey \
        to the central station of about 25 minutes, half the time the current bus routes take at rush hour.
        "This is the day the east side finally gets the connection it was promised in 2015," mayor Helena Brandt \
        said after the vote, a line her supporters cheered from the gallery.
        Not everyone was celebrating. Traders on Mill Street say the roadworks could drive small shops out of \
        business, and several of them have already written to the council asking for rent relief.
        Transport researchers at the city university are cautiously positive. Trams attract riders who would \
        never take a bus, said Dr Amira Haddad, but only if services are frequent and the stops are safe at night.
        Critics of the scheme doubt the budget. Councillor Piet Jansen pointed to the tram extension in a \
        neighbouring city, which opened two years late, and said electric buses would serve the area sooner.
        The council says it will hold public meetings in each of the five eastern districts before the final \
        route is fixed, and residents can comment online until the end of March.
        """

    static let newParagraph = """
        A spokesperson for the regional transport authority said on Wednesday that timetables for the new line \
        would be integrated with the commuter rail network, so that passengers could change trains without \
        buying a second ticket.
        """

    static let furnitureLines = [
        "Also read: Five things to know about the city budget for next year",
        "Subscribe to our morning newsletter for the latest local news",
        "Click here to follow us on social media",
    ]

    static let chineseReportA = """
        河畔市议会批准东部有轨电车线路
        河畔市议会星期二晚间以三十一票对十二票通过了修建东部有轨电车线路的计划，结束了这座城市近十年来的争论。
        这条线路全长十四公里，沿港口路和磨坊街运行，共设十九个车站，预计建成后每天可运送六万名乘客。
        市长在议会大楼外对记者说，东区终于得到了二零一五年承诺的交通连接，第一批施工合同将在春季签署。
        反对者认为七亿四千万欧元的预算并不现实，他们指出其他城市的类似项目往往超支三分之一以上。
        磨坊街的商户担心长达三年的道路施工会影响生意，他们的协会已要求市政府提供补偿并尽量安排夜间施工。
        地区政府承诺承担百分之四十的费用，其余资金将来自市政债券和一笔仍在谈判中的欧洲投资银行贷款。
        """

    static let chineseReportB = """
        东区有轨电车：投票结果对通勤者意味着什么
        经过多年研究和三次失败的提案，河畔市终于将拥有东部有轨电车。议员们星期二以较大优势支持了这一计划。
        对于居住在港口和环路之间的大约八万居民来说，新线路意味着前往中央车站只需二十五分钟左右。
        城市大学的交通研究人员对此持谨慎乐观态度，他们认为只有班次频繁、夜间车站安全，电车才能吸引乘客。
        批评者仍然怀疑预算是否足够，并表示电动公交车可以更快地为东区居民提供服务。
        市议会表示，在最终确定线路之前，将在东部五个区分别举行公众会议，居民可以在三月底之前在网上提出意见。
        """
}

extension String {
    /// The text's lines (paragraphs), without empty ones.
    var paragraphs: [String] {
        split(separator: "\n").map(String.init)
    }
}

/// Ways the tests alter an article to make a near copy.
enum NearCopy {
    /// New first line (headline) and paragraph `index` (1-based among the body paragraphs) removed.
    static func newHeadlineDroppingParagraph(_ text: String, index: Int, headline: String) -> String {
        var lines = text.paragraphs
        lines.remove(at: index)
        lines[0] = headline
        return lines.joined(separator: "\n")
    }

    /// New first line (headline) and a paragraph inserted before body paragraph `index`.
    static func newHeadlineAddingParagraph(_ text: String, index: Int, headline: String, paragraph: String) -> String {
        var lines = text.paragraphs
        lines.insert(paragraph, at: index)
        lines[0] = headline
        return lines.joined(separator: "\n")
    }

    /// Furniture lines ("Also read: …") put between paragraphs and at the end.
    static func withFurniture(_ text: String, lines furniture: [String]) -> String {
        var lines = text.paragraphs
        for (offset, line) in furniture.enumerated() {
            let position = min(lines.count, 2 + offset * 3)
            lines.insert(line, at: position)
        }
        lines.append("Copyright 2026 Riverside Daily. All rights reserved.")
        return lines.joined(separator: "\n")
    }
}
