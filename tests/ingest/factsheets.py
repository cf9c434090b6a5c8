"""Small factsheets written for the upload tests, in the shapes real ones take."""

DANUBE = """Factsheet

Project title: Joint training for border guards on the Danube
Project acronym: DANUBE-GUARD
Reference number: BMVI/2024/017
Duration: January 2024 - December 2025
Total budget: EUR 1,200,000.00
Funded by the Border Management and Visa Instrument (BMVI).
Lead partner: Ministry of Interior of Serbia
Partner: General Police Directorate of Hungary

The project organises training courses and study visits for border guards from Serbia and Hungary.
"""

COUNSEL = """Project title: Shared return counselling in Moldova and Georgia
Project acronym: RECOUNSEL
Duration: March 2023 - February 2025
Total budget: EUR 640,000.00
Funded by the Asylum, Migration and Integration Fund (AMIF).
Lead partner: Bureau for Migration and Asylum of Moldova
Partner: Public Service Development Agency of Georgia

The partners hold workshops and online sessions each quarter.
"""

HOSTILE_HTML = """<html><head><title>Ports</title><script>alert(1)</script></head>
<body onload="alert(2)"><h1>Project title: Safer ports &amp; harbours &lt;pilot&gt;</h1>
<script>document.write("<img src=x onerror=alert(3)>")</script>
<p>Project acronym: PORTS</p><p>Lead partner: Port Authority of Burgas</p>
<p>Total budget: EUR 300,000.00</p></body></html>"""

# A key-value sheet of the corpus's kind that states both the total and the EU's share, and
# names its funder and an EU agency (issue 13, item 9).
FINTRACE = """PROJECT SUMMARY SHEET

Project acronym: FINTRACE
Project title: Following the money of migrant smuggling networks in the Western Balkans
Grant agreement no. ISFP-2023-AG-CORE-101114477
Funding programme: Internal Security Fund – Police
Coordinator: Financial Investigation Unit of the Ministry of Interior of Montenegro
Co-applicants: Financial Intelligence Office of North Macedonia; Albanian State Police
Associated partner: European Asylum Support Office (EASO)
Start: 01.04.2024
End: 31.03.2026
Total eligible costs: € 968,215.50
EU contribution (90 %): € 871,393.95


ABOUT THE ACTION

Smugglers move their earnings through money transfer shops and couriers. Financial investigators
of the three countries follow these payments together: they meet in joint workshops, train new
analysts and exchange staff for a month at a time.

This action is funded by the European Union.
"""
