#!/usr/bin/env python3
"""Writes annual-report-1997-98.pdf: a plain PDF 1.4 with Helvetica text, one paragraph list
per page, and a correct cross-reference table. No dependencies; run from Corpora/:

    python3 tools/make_annual_report.py

pdftotext (poppler-utils) reads the result back page by page.
"""

import textwrap

PAGES = [
    [
        ("title", "Skerrow Isles Lighthouse Board"),
        ("title", "Annual Report for the year ended 31 March 1998"),
        ("text", "Presented to the Commissioners at Quay Street, Port Ellery, on 22 June 1998 by the "
                 "Chief Executive, Dr Fiona Aird."),
        ("heading", "1. The end of manned lighthouses"),
        ("text", "On 31 March 1998, the last day of the year under report, the automation of Sula Beg "
                 "lighthouse was completed and its keepers were withdrawn. Sula Beg was the last manned "
                 "station of the Board and its automation ends the programme begun in 1975, under which "
                 "the four manned stations were converted in turn: Tollan Point in 1976, Gannet Head in "
                 "1989, Marrow Rock in 1995 and Sula Beg in 1998. The last keepers to serve at Sula Beg were "
                 "Principal Keeper Morag Lindqvist and Assistant Keepers Donald Fyfe and Ian Osei. They "
                 "were taken off by helicopter at 11.40 a.m. and the station was handed to the monitoring "
                 "centre at Quay Street. Mrs Lindqvist had served the Board for 26 years, and was the first "
                 "woman appointed Principal Keeper, at Marrow Rock in 1983."),
        ("text", "The Commissioners wish to record their gratitude to the 412 keepers who served the Board "
                 "between 1794 and 1998. A roll of their names will be placed in the entrance hall at Quay "
                 "Street in the coming year."),
        ("heading", "2. Monitoring and control"),
        ("text", "All lights are now watched from the monitoring centre at Quay Street, which is staffed "
                 "around the clock by a team of six duty officers working in shifts. The telemetry system, "
                 "installed in 1988, was replaced during the year by a new system named SKERLINK, which "
                 "reports the state of every lamp, battery, generator and fog signal once every five "
                 "minutes over leased telephone lines, with a radio link as reserve. SKERLINK cost "
                 "396,000 pounds and was commissioned on 3 November 1997. In its first five months it "
                 "reported 37 faults, of which 29 were cleared remotely without a visit."),
    ],
    [
        ("heading", "3. Finance"),
        ("text", "Income from light dues was 5.10 million pounds, an increase of 2.4 per cent on the "
                 "previous year, owing to increased ferry traffic to Port Ellery. Other income, chiefly "
                 "from the charter of the tender Guillemot II, was 0.31 million pounds. Total expenditure "
                 "was 4.82 million pounds, of which staff costs were 2.05 million pounds, maintenance of "
                 "stations 1.12 million pounds, and the tender 0.97 million pounds. The refit of Guillemot "
                 "II at Leith in the autumn of 1997 cost 310,000 pounds. The surplus of 0.59 million pounds "
                 "has been placed in the reserve for the replacement of the tender, which will reach the "
                 "end of her working life in about 2010."),
        ("heading", "4. Staff"),
        ("text", "At 31 March 1998 the Board employed 61 people, compared with 187 in 1975. Of these, 14 "
                 "are attendants: local people, often retired keepers, who visit the automated stations "
                 "each month to inspect and clean them. The remainder work in the monitoring centre, the "
                 "engineering department, the tender and the offices. No keeper was made redundant "
                 "against his or her wishes during the automation programme; 23 keepers chose early "
                 "retirement and 17 moved to other posts in the Board."),
        ("heading", "5. Works and performance"),
        ("text", "The availability of the major lights, the share of the hours of darkness during which "
                 "each light showed its proper character, was 99.94 per cent, against the international "
                 "target of 99.8 per cent. The one serious failure was at Kittiwake Skerry on 9 January "
                 "1998, when a storm damaged the solar panels and the light was out for 31 hours. A new "
                 "helicopter pad was built at Sula Beg during the summer of 1997, at a cost of 128,000 "
                 "pounds. The mercury bath of the Sula Beg lens will be removed in the coming year."),
        ("heading", "6. The year ahead"),
        ("text", "The Board will review its fog signals, and will study the replacement of the "
                 "tungsten-halogen lamps at the major lights by newer sources when these become reliable. "
                 "The Gannet Head Trust has asked to lease the former keepers' cottages at Gannet Head as a "
                 "visitor centre, and the Commissioners have agreed in principle."),
    ],
    [
        ("heading", "Appendix: The lights of the Board at 31 March 1998"),
        ("text", "Gannet Head: Fl(2) W 15s, range 24 nautical miles, automated 1989."),
        ("text", "Marrow Rock: Fl W 5s, range 18 nautical miles, automated 1995."),
        ("text", "Tollan Point: Oc R 8s, range 12 nautical miles, automated 1976."),
        ("text", "Sula Beg: Fl(3) W 20s, range 22 nautical miles, automated 31 March 1998."),
        ("text", "Kittiwake Skerry: Fl G 3s, range 6 nautical miles, never manned."),
        ("text", "Port Ellery Pierhead: Q G, range 4 nautical miles, never manned."),
        ("text", "Signed on behalf of the Commissioners: Dr Fiona Aird, Chief Executive; "
                 "Mr Alasdair Munro, Chairman."),
    ],
]

FONTS = {"title": ("F2", 16, 20), "heading": ("F2", 12, 18), "text": ("F1", 10, 13)}


def escape(line: str) -> bytes:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("cp1252")


def page_stream(blocks) -> bytes:
    out = [b"BT", b"72 740 Td"]
    for kind, text in blocks:
        font, size, leading = FONTS[kind]
        width = 95 if kind == "text" else 70
        lines = textwrap.wrap(text, width)
        out.append(f"/{font} {size} Tf {leading} TL".encode())
        for line in lines:
            out.append(b"(" + escape(line) + b") Tj T*")
        out.append(b"T*" if kind != "title" else b"")
    out.append(b"ET")
    return b"\n".join(out) + b"\n"


def build() -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        None,  # page tree, filled below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title (Skerrow Isles Lighthouse Board Annual Report 1997-98) /Producer (make_annual_report.py) >>",
    ]
    kids = []
    for blocks in PAGES:
        stream = page_stream(blocks)
        page_number = len(objects) + 1
        kids.append(f"{page_number} 0 R")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                       f"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {page_number + 1} 0 R >>".encode())
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"endstream")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()
    body = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        body += f"{offset:010d} 00000 n \n".encode()
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(body)


if __name__ == "__main__":
    with open("annual-report-1997-98.pdf", "wb") as handle:
        handle.write(build())
