"""The grants pages: public calls (calls.py) and the consortium's application pages
(applications.py)."""
