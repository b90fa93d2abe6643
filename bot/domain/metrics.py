"""The metric vocabulary: keys the pipeline assigns and the renderers label.

Each key names *what* a figure measures; the status (plan or actual) and the
period say *when*. Labels live in the gettext catalogs (`bot.render.labels`).
"""

from __future__ import annotations

from enum import StrEnum


class Metric(StrEnum):
    INVESTMENT = "investment"  # money invested or to be invested
    FIXED_CAPITAL_INVESTMENT = "fixed_capital_investment"  # инвестиции в основной капитал
    PROJECT_COST = "project_cost"  # cost of a project or a set of projects
    OUTPUT_VALUE = "output_value"  # value of goods produced (tenge)
    REVENUE = "revenue"  # budget, tax, fund income, exports value
    PRICE = "price"  # price of a unit of goods
    PROJECTS = "projects"  # number of investment projects
    PARTICIPANTS = "participants"  # registered participants of a zone
    ENTERPRISES = "enterprises"  # enterprises, plants, facilities
    JOBS = "jobs"  # jobs created or to be created
    UNITS_PRODUCED = "units_produced"  # pieces made: buses, tyres, appliances
    VOLUME = "volume"  # tonnes produced, mined, in reserve
    CAPACITY = "capacity"  # design output per period
    POWER = "power"  # installed electric capacity
    CARGO = "cargo"  # freight handled or shipped
    THROUGHPUT = "throughput"  # trains, flights, passengers a day or a year
    AREA = "area"  # land or floor area
    GROWTH = "growth"  # relative change, percent or times
    SHARE = "share"  # part of a whole, percent
    RATE = "rate"  # a level, e.g. unemployment
    COUNT = "count"  # anything else counted
    AMOUNT = "amount"  # any other sum of money
