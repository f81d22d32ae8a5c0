import BertSent
import Foundation
import Testing

/// Each cleaning step, its option, and its speed.
struct TextCleanerTests {
    let cleaner = TextCleaner()

    /// Compares scalar by scalar: `String ==` treats "é" and "e" + U+0301 as equal, which would hide
    /// whether NFC ran.
    func scalars(_ text: String) -> [Unicode.Scalar] { Array(text.unicodeScalars) }

    @Test func tagsBecomeSpacesSoWordsStayApart() {
        // The IMDB recipe's `<.*?>` deletion glues IMDB's "me.<br /><br />The" into "me.The".
        #expect(cleaner.clean("happened with me.<br /><br />The first thing") == "happened with me. The first thing")
        #expect(cleaner.clean("<i>Great</i> film, <a href=\"x.html\">link</a>!") == "Great film, link !")
        #expect(cleaner.clean("<!-- note -->Fine<BR/>film") == "Fine film")
    }

    @Test func anglesThatAreNotTagsStay() {
        #expect(cleaner.clean("a < b and c > d") == "a < b and c > d")
        #expect(cleaner.clean("I <3 it") == "I <3 it")
        #expect(cleaner.clean("x <and y <b>bold</b>") == "x <and y bold")
        #expect(cleaner.clean("unclosed <tag") == "unclosed <tag")
    }

    @Test func entitiesAreDecoded() {
        #expect(
            cleaner.clean("Tom &amp; Jerry &lt;3 &gt; &quot;hi&quot; it&#39;s it&#x27;s a&nbsp;b")
                == "Tom & Jerry <3 > \"hi\" it's it's a b")
        #expect(cleaner.clean("caf&eacute; &#233; &#xE9; &hellip;") == "café é é …")
        // HTML maps 128–159 to Windows-1252: &#150; is an en dash.
        #expect(cleaner.clean("1990&#150;1999 &#151; ok") == "1990–1999 — ok")
        #expect(cleaner.clean("a&#0;b &#xD800; &#99999999;") == "a\u{FFFD}b \u{FFFD} \u{FFFD}")
    }

    @Test func ampersandsThatAreNotEntitiesStay() {
        #expect(cleaner.clean("AT&T & R&D &unknown; &amp") == "AT&T & R&D &unknown; &amp")
        // Decoded once: "&amp;lt;" is the text "&lt;", not "<".
        #expect(cleaner.clean("&amp;lt;b&amp;gt;") == "&lt;b&gt;")
        #expect(cleaner.clean("&lt;b&gt;bold&lt;/b&gt;") == "<b>bold</b>")
    }

    @Test func controlAndFormatCharactersAreDropped() {
        #expect(cleaner.clean("a\u{0}b\u{7}c\u{7F}d") == "abcd")
        #expect(cleaner.clean("zero\u{200B}width\u{FEFF} soft\u{AD}hyphen") == "zerowidth softhyphen")
        #expect(cleaner.clean("tab\tnew\nline\r\nnel\u{85}end") == "tab new line nel end")
    }

    @Test func unicodeIsComposedToNFC() {
        #expect(scalars(cleaner.clean("Cafe\u{301} Ame\u{301}lie")) == scalars("Caf\u{E9} Am\u{E9}lie"))
        #expect(scalars(cleaner.clean("\u{212B}ngstr\u{F6}m")) == scalars("\u{C5}ngstr\u{F6}m"))
    }

    @Test func whitespaceIsCollapsedAndTrimmed() {
        #expect(cleaner.clean("  a \u{A0}\u{3000}\u{2009} b\n\n\tc  ") == "a b c")
        #expect(cleaner.clean(" <br /> &nbsp; ") == "")
        #expect(cleaner.clean("") == "")
    }

    @Test func punctuationAndTextStayAsTheyAre() {
        let text = "Great!!! (Really?) -- 10/10, isn't it? \"Yes\": 100% 'fun'; 😀 日本 Ünïcödé"
        #expect(scalars(cleaner.clean(text)) == scalars(text))
    }

    @Test func eachStepCanBeTurnedOff() {
        #expect(TextCleaner(removesHTMLTags: false).clean("a<br />b") == "a<br />b")
        #expect(TextCleaner(decodesHTMLEntities: false).clean("a &amp; b") == "a &amp; b")
        #expect(TextCleaner(removesControlCharacters: false).clean("a\u{0}b\u{200B}c") == "a\u{0}b\u{200B}c")
        #expect(scalars(TextCleaner(normalizesUnicode: false).clean("e\u{301}")) == ["e", "\u{301}"])
        #expect(TextCleaner(collapsesWhitespace: false).clean(" a  b ") == " a  b ")
        // Tags still leave a space, and control whitespace still becomes one, without collapsing.
        #expect(TextCleaner(collapsesWhitespace: false).clean("a<br>b\tc") == "a b c")
        let none = TextCleaner(
            removesHTMLTags: false, decodesHTMLEntities: false, removesControlCharacters: false,
            normalizesUnicode: false, collapsesWhitespace: false)
        let raw = " <i>x</i> &amp;\t\u{0}e\u{301}  "
        #expect(scalars(none.clean(raw)) == scalars(raw))
    }

    @Test func cleansIMDBSizedTextQuickly() {
        // 5,000 reviews of about 1.3 kB with IMDB's markup: a tenth of IMDB, which takes well
        // under a second to clean in full.
        let review = String(
            repeating: "One of the <i>best</i> films &amp; a wonderful cast.<br /><br />It is  great,   isn't it? ",
            count: 14)
        let reviews = (0..<5000).map { "\($0) \(review)" }
        let start = Date()
        let cleaned = reviews.map(cleaner.clean)
        let seconds = Date().timeIntervalSince(start)
        #expect(cleaned[0].hasPrefix("0 One of the best films & a wonderful cast. It is great, isn't it? One"))
        #expect(seconds < 2, "cleaning 6.5 MB took \(seconds) s")
    }
}
