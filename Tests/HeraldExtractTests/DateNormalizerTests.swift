import Testing

@testable import HeraldExtract

@Suite struct DateNormalizerTests {
    @Test(arguments: [
        ("2025-12-04T10:20:30+05:30", "2025-12-04T10:20:30+05:30"),
        ("2025-12-04T10:20:30.123Z", "2025-12-04T10:20:30Z"),
        ("2025-12-04T10:20:30-0500", "2025-12-04T10:20:30-05:00"),
        ("2025-12-04 10:20", "2025-12-04T10:20:00"),
        ("2025-12-04", "2025-12-04"),
        ("20251204", "2025-12-04"),
        ("2025-12-04T23:18:00+00:00", "2025-12-04T23:18:00+00:00"),
        ("Thu, 04 Dec 2025 10:20:30 +0530", "2025-12-04T10:20:30+05:30"),
        ("Thu, 04 Dec 2025 10:20:30 GMT", "2025-12-04T10:20:30Z"),
        ("December 4, 2025", "2025-12-04"),
        ("Dec 4, 2025 11:18 PM IST", "2025-12-04T23:18:00+05:30"),
        ("4th December 2025", "2025-12-04"),
        ("05 December 2025", "2025-12-05"),
        ("2025/12/04", "2025-12-04"),
        ("Sept. 9, 2024, 8:05 a.m. EDT", "2024-09-09T08:05:00-04:00"),
    ])
    func normalises(_ input: String, _ expected: String) {
        #expect(DateNormalizer.normalize(input) == expected)
    }

    @Test func rejectsNonDates() {
        #expect(DateNormalizer.normalize("") == nil)
        #expect(DateNormalizer.normalize("yesterday") == nil)
        #expect(DateNormalizer.normalize("2025-13-40") == nil)
        #expect(DateNormalizer.normalize("February 30, 2025") == nil)
    }

    @Test func findsDatelineInText() {
        let text = "New Delhi. 05 December 2025. The summit opened with talks on defence."
        #expect(DateNormalizer.findDate(in: text)?.rfc3339 == "2025-12-05")
    }

    @Test func findsPublishedAndUpdatedInByline() {
        let line = "Written by Staff Reporter | Dec 4, 2025, Updated Dec 4, 2025 11:18 PM IST"
        #expect(DateNormalizer.findDate(in: line)?.rfc3339 == "2025-12-04")
        #expect(DateNormalizer.findDate(in: line, after: "updated")?.rfc3339 == "2025-12-04T23:18:00+05:30")
    }

    @Test func ignoresMonthWordsWithoutYear() {
        #expect(DateNormalizer.findDate(in: "They may decide in March whether to proceed.") == nil)
    }
}
