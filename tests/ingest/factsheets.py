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
