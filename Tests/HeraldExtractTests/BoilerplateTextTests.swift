import Testing

@testable import HeraldExtract

@Suite struct BoilerplateTextTests {
    @Test(arguments: [
        "Also read: Markets rally as rates hold",
        "ALSO READ | Ten things to know today",
        "Read more: the full interview",
        "Follow us on Twitter and Facebook",
        "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.",
        "Subscribe to our newsletter for daily updates",
        "Copyright © 2025 Example Media. All rights reserved.",
        "Advertisement",
        "Story continues below advertisement",
        "Updated at 1:23 p.m.",
        "This slideshow requires JavaScript.",
        "Lire aussi : la réforme des retraites en cinq questions",
        "Baca juga: Harga emas naik lagi hari ini",
        "यह भी पढ़ें: संसद का शीतकालीन सत्र",
    ])
    func recognisesFurnitureWording(_ line: String) {
        #expect(BoilerplateText.isBoilerplate(line))
    }

    @Test(arguments: [
        "Posted on social media by the performance analysts at Digital Foundry, the port is not entirely smooth on "
            + "the platform, with frame rates dipping well below the target in busy scenes.",
        "The council said it would read more of the submissions before deciding on the bridge.",
        "Officials updated the timetable on Monday after complaints from commuters.",
        "Follow-up inspections are planned for the spring.",
    ])
    func keepsStoryText(_ line: String) {
        #expect(!BoilerplateText.isBoilerplate(line))
    }
}
