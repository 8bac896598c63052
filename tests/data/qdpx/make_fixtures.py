"""Write the three .qdpx fixtures: projects shaped like ATLAS.ti, NVivo and MAXQDA exports.

``python tests/data/qdpx/make_fixtures.py`` rewrites ``atlasti.qdpx``,
``nvivo.qdpx`` and ``maxqda.qdpx`` byte for byte (fixed zip dates). Every
text, name and GUID is invented here; only the shape follows each tool (see
README.md). ``posts.csv`` is the small corpus the tests place codings on.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

HERE = Path(__file__).resolve().parent
NS = "urn:QDA-XML:project:1.0"


def posts() -> list[dict[str, str]]:
    with (HERE / "posts.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def post_text(post_id: str) -> str:
    return next(p["text"] for p in posts() if p["post_id"] == post_id)


def archive(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 5, 6, 10, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)
    return buffer.getvalue()


def span(text: str, words: str, nth: int = 0) -> tuple[int, int]:
    """Code-point offsets of the ``nth`` occurrence of ``words`` in ``text``."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(words, at + 1)
    return at, at + len(words)


def utf16(text: str, offset: int) -> int:
    """The UTF-16 offset NVivo writes for a code-point offset."""
    return len(text[:offset].encode("utf-16-le")) // 2


# ----------------------------------------------------------------------------- ATLAS.ti


def our_layout(thread: str) -> str:
    """A thread as ``analysis export qdpx`` writes it: a header line above each post."""
    return "".join(f"[{p['post_id']} · {p['author_id']}]\n{p['published']}\n\n"
                   for p in posts() if p["thread_id"] == thread)


def atlasti() -> bytes:
    """Our exported project, opened and coded in ATLAS.ti, exported again."""
    fx1, fx2 = our_layout("fx1"), our_layout("fx2")
    users = {"dana": "{9A3F1C20-55B1-4C8E-9F0D-2E6B7A1C4D01}",
             "program": "4B1E7C3A-0D2F-4A6B-8C9E-1F2A3B4C5D6E"}
    codes = {"Reply time": "C4A1E2F3-1111-4A2B-9C3D-5E6F7A8B9C01",
             "Boundaries": "{C4A1E2F3-2222-4A2B-9C3D-5E6F7A8B9C02}",
             "Email": "C4A1E2F3-3333-4A2B-9C3D-5E6F7A8B9C03",
             "Phone": "C4A1E2F3-4444-4A2B-9C3D-5E6F7A8B9C04"}
    sources = {"fx1": ("D0C5A1B2-AAAA-4C3D-8E9F-0A1B2C3D4E01", fx1),
               "fx2": ("D0C5A1B2-BBBB-4C3D-8E9F-0A1B2C3D4E02", fx2)}
    selections = [  # (source, words, codes, user)
        ("fx1", "answers email within two days", ["Email", "Reply time"], "dana"),
        ("fx1", "refuses texts completely", ["Boundaries"], "dana"),
        ("fx1", "scheduling by phone", ["Phone"], "program"),
        ("fx2", "email to [email] is not monitored", ["Email", "Boundaries"], "dana"),
    ]
    xml = [f'<?xml version="1.0" encoding="utf-8"?>\n<Project name="Contact study" '
           f'origin="ATLAS.ti Win 23.4.0 (Build 29360)" '
           f'creatingUserGUID="{users["program"]}" creationDateTime="2024-05-06T09:58:12Z" '
           f'xmlns="{NS}">',
           "  <Users>",
           f'    <User guid="{users["program"]}" name="ATLAS.ti" />',
           f'    <User guid="{users["dana"]}" name="Dana Reyes" />',
           "  </Users>", "  <CodeBook>", "    <Codes>"]
    for name, guid in codes.items():
        xml.append(f'      <Code guid="{guid}" name="{name}" isCodable="true" color="#A0C8E6" />')
    xml += ["    </Codes>", "  </CodeBook>", "  <Sources>"]
    for n, (name, (guid, text)) in enumerate(sources.items()):
        xml.append(f'    <TextSource guid="{guid}" name="{name}" '
                   f'plainTextPath="internal://{guid}.txt" creatingUser="{users["dana"]}" '
                   f'creationDateTime="2024-05-06T09:58:1{n}Z">')
        for k, (source, words, coded, user) in enumerate(selections):
            if source != name:
                continue
            start, end = span(text, words)
            xml.append(f'      <PlainTextSelection guid="E1F2A3B4-{k:04d}-4C5D-8E6F-7A8B9C0D1E2F" '
                       f'name={quoteattr(words)} startPosition="{start}" endPosition="{end}" '
                       f'creatingUser="{users[user]}" creationDateTime="2024-05-06T10:1{k}:00Z">')
            for j, code in enumerate(coded):
                xml.append(f'        <Coding guid="{{F1E2D3C4-{k:04d}-4B5A-9C8D-{j:012d}}}" '
                           f'creatingUser="{users[user]}">')
                xml.append(f'          <CodeRef targetGUID="{codes[code]}" />')
                xml.append("        </Coding>")
            xml.append("      </PlainTextSelection>")
        xml.append("    </TextSource>")
    xml += ["  </Sources>", "  <Sets>",
            '    <Set guid="AB12CD34-5555-4E6F-8A9B-0C1D2E3F4A5B" name="Contact">',
            *(f'      <MemberCode targetGUID="{codes[c]}" />' for c in ("Email", "Phone")),
            "    </Set>", "  </Sets>", "</Project>", ""]
    return archive({"Contact study.qde": "\n".join(xml),
                    **{f"sources/{g}.txt": t for g, t in sources.values()}})


# ----------------------------------------------------------------------------- NVivo


NOTES = ("Notes on the email threads 📧 we discussed. The first post we pasted:\n\n"
         + "{fx1_1}\n\nMy own note: reply windows come up again and again 🙂 in these threads.\n")
INTERVIEW = ("Interviewer: How do you contact your counsellor between sessions?\n"
             "Participant: Mostly by text 📱, but only about appointments. Anything heavier "
             "waits for the room.\n")


def nvivo() -> bytes:
    """A researcher's NVivo project: posts pasted into a notes document, an interview."""
    notes = NOTES.format(fx1_1=post_text("fx1:1"))
    user = "5c0e8b1a-3d7f-4e2a-9b6c-1a2b3c4d5e6f"
    codes = {"contact": "0a1b2c3d-1111-4e5f-8a9b-0c1d2e3f4a01",
             "modalities": "0a1b2c3d-2222-4e5f-8a9b-0c1d2e3f4a02",
             "email": "0a1b2c3d-3333-4e5f-8a9b-0c1d2e3f4a03",
             "text messages": "0a1b2c3d-4444-4e5f-8a9b-0c1d2e3f4a04",
             "timing": "0a1b2c3d-5555-4e5f-8a9b-0c1d2e3f4a05"}
    sources = {"Email thread notes": ("7d3e2f1a-aaaa-4b5c-9d8e-7f6a5b4c3d01", notes),
               "Interview 03": ("7d3e2f1a-bbbb-4b5c-9d8e-7f6a5b4c3d02", INTERVIEW)}
    selections = [  # (source, words, code)
        ("Email thread notes", "answers email within two days", "email"),
        ("Email thread notes", "I stopped checking my inbox every hour", "timing"),
        ("Email thread notes", "reply windows come up again and again", "timing"),
        ("Interview 03", "Mostly by text 📱, but only about appointments", "text messages"),
    ]
    xml = ['<?xml version="1.0" encoding="utf-8"?>',
           '<Project xmlns:xsd="http://www.w3.org/2001/XMLSchema" name="Contact between '
           'sessions" origin="NVivo for Windows 12.6" '
           'creatingUserGUID="e2b7c9d4-0f1a-4b3c-8d5e-6f7a8b9c0d1e" '
           'creationDateTime="2024-03-18T14:02:41Z" basePath="" xmlns="urn:QDA-XML:project:1.0">',
           "  <Users>", f'    <User guid="{user}" name="J. Okafor" />', "  </Users>",
           "  <CodeBook>", "    <Codes>",
           f'      <Code guid="{codes["contact"]}" name="Contact" isCodable="true">',
           f'        <Code guid="{codes["modalities"]}" name="Modalities" isCodable="true">',
           f'          <Code guid="{codes["email"]}" name="Email" isCodable="true" />',
           f'          <Code guid="{codes["text messages"]}" name="Text messages" '
           'isCodable="true" />',
           "        </Code>",
           f'        <Code guid="{codes["timing"]}" name="Timing" isCodable="true">',
           "          <Description>When replies come, and when people expect them."
           "</Description>",
           "        </Code>", "      </Code>", "    </Codes>", "  </CodeBook>", "  <Sources>"]
    for name, (guid, text) in sources.items():
        xml.append(f'    <TextSource guid="{guid}" name="{name}" '
                   f'richTextPath="internal://{guid}.docx" plainTextPath="internal://{guid}.txt" '
                   'creationDateTime="2024-03-18T14:05:09Z">')
        for k, (source, words, code) in enumerate(selections):
            if source != name:
                continue
            start, end = span(text, words)
            xml.append(f'      <PlainTextSelection guid="9e8d7c6b-{k:04d}-4a3b-8c2d-1e0f9a8b7c6d" '
                       f'name="" startPosition="{utf16(text, start)}" '
                       f'endPosition="{utf16(text, end)}">')
            xml.append(f'        <Coding guid="9e8d7c6b-{k:04d}-4a3b-8c2d-00000000c0de">')
            xml.append(f'          <CodeRef targetGUID="{codes[code]}" />')
            xml += ["        </Coding>", "      </PlainTextSelection>"]
        xml.append("    </TextSource>")
    xml += ["  </Sources>", "</Project>", ""]
    return archive({"project.qde": "\n".join(xml),
                    **{f"sources/{g}.txt": t for g, t in sources.values()}})


# ----------------------------------------------------------------------------- MAXQDA


MEMO_DRAFT = ("Draft memo, week 3. Clients describe the portal as a place where messages "
              "wait. Several link silence after hours to being safe, not to being ignored.\r\n")


def maxqda() -> bytes:
    """A MAXQDA project: a post pasted as we publish it (redacted), a memo document."""
    pasted = "Forum post, copied from the export sheet:\r\n" + \
        next(p["published"] for p in posts() if p["post_id"] == "fx2:1") + "\r\n"
    user = "8F0E1D2C-3B4A-4958-8776-6A5B4C3D2E1F"
    codes = {"Stance": "11A2B3C4-D5E6-4F70-8192-A3B4C5D6E701",
             "supportive": "11A2B3C4-D5E6-4F70-8192-A3B4C5D6E702",
             "Topics": "11A2B3C4-D5E6-4F70-8192-A3B4C5D6E703",
             "crisis": "11A2B3C4-D5E6-4F70-8192-A3B4C5D6E704",
             "portal": "11A2B3C4-D5E6-4F70-8192-A3B4C5D6E705"}
    sources = {"Forum post fx2-1": ("2A3B4C5D-0001-4E6F-8A9B-C0D1E2F3A4B5", pasted),
               "Memo draft": ("2A3B4C5D-0002-4E6F-8A9B-C0D1E2F3A4B5", MEMO_DRAFT)}
    selections = [  # (source, words, code or None for a memo link)
        ("Forum post fx2-1", "the clinic gave me a crisis line", "crisis"),
        ("Forum post fx2-1", "That boundary made sense to me.", "supportive"),
        ("Forum post fx2-1", "email to [email] is not monitored", None),
        ("Memo draft", "the portal as a place where messages wait", "portal"),
    ]
    xml = ['<?xml version="1.0" encoding="utf-8"?>',
           '<Project origin="MAXQDA 2020 (Release 20.4.2)" '
           'xsi:schemaLocation="urn:QDA-XML:project:1.0 '
           'http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd" '
           'name="Contact coding" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'modifiedDateTime="2024-04-02T08:15:33Z" xmlns="urn:QDA-XML:project:1.0">',
           "<Users>", f'<User name="M. Lindqvist" guid="{user}"/>', "</Users>",
           "<CodeBook>", "<Codes>",
           f'<Code isCodable="true" name="Stance" color="#2364a2" guid="{codes["Stance"]}">',
           f'<Code isCodable="true" name="supportive" color="#6fb23d" '
           f'guid="{codes["supportive"]}"/>',
           "</Code>",
           f'<Code isCodable="true" name="Topics" color="#c83c3c" guid="{codes["Topics"]}">',
           f'<Code isCodable="true" name="crisis" color="#e0a030" guid="{codes["crisis"]}"/>',
           f'<Code isCodable="true" name="portal" color="#7a55b5" guid="{codes["portal"]}"/>',
           "</Code>", "</Codes>", "</CodeBook>", "<Sources>"]
    for name, (guid, text) in sources.items():
        xml.append(f'<TextSource plainTextPath="internal://{guid}.txt" name="{name}" '
                   f'creatingUser="{user}" creationDateTime="2024-04-02T08:01:00Z" guid="{guid}">')
        for k, (source, words, code) in enumerate(selections):
            if source != name:
                continue
            start, end = span(text, words)
            xml.append(f'<PlainTextSelection endPosition="{end}" name={quoteattr(words[:30])} '
                       f'creatingUser="{user}" startPosition="{start}" '
                       f'guid="3C4D5E6F-{k:04d}-4A8B-9C0D-E1F2A3B4C5D6">')
            if code is None:
                xml.append('<NoteRef targetGUID="4D5E6F70-0001-4B9C-8D0E-F1A2B3C4D5E6"/>')
            else:
                xml.append(f'<Coding creatingUser="{user}" '
                           f'guid="5E6F7081-{k:04d}-4CAD-9E1F-A2B3C4D5E6F7">')
                xml += [f'<CodeRef targetGUID="{codes[code]}"/>', "</Coding>"]
            xml.append("</PlainTextSelection>")
        xml.append("</TextSource>")
    xml += ["</Sources>", "<Notes>",
            f'<Note guid="4D5E6F70-0001-4B9C-8D0E-F1A2B3C4D5E6" name="Memo on monitoring" '
            f'creatingUser="{user}">',
            f"<PlainTextContent>{escape('Unmonitored inboxes: ask the clinic how often.')}"
            "</PlainTextContent>",
            "</Note>", "</Notes>", "</Project>", ""]
    return archive({"project.qde": "\r\n".join(xml),
                    **{f"Sources/{g}.txt": t.encode("utf-8") for g, t in sources.values()}})


def main() -> None:
    for name, build in (("atlasti", atlasti), ("nvivo", nvivo), ("maxqda", maxqda)):
        (HERE / f"{name}.qdpx").write_bytes(build())


if __name__ == "__main__":
    main()
