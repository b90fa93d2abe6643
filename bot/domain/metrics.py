"""The metric vocabulary: keys the pipeline assigns and the renderers label.

Each key names *what* a figure measures; the status (plan or actual) and the
period say *when*. The keys agree with `data/vocab/measures.toml`, which gives each
its topic, its trigger words and its Russian and Kazakh labels.
"""

from __future__ import annotations

from enum import StrEnum


class Metric(StrEnum):
    INVESTMENT = "investment"  # money invested or to be invested
    FIXED_CAPITAL_INVESTMENT = "fixed_capital_investment"  # инвестиции в основной капитал
    PROJECT_COST = "project_cost"  # cost of one project
    PROJECTS_COST = "projects_cost"  # cost of a pool or list of projects together
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
    CARGO = "cargo"  # freight handled or carried
    SHIPMENTS = "shipments"  # goods shipped out: отгрузка, вывоз, экспорт
    TRANSIT = "transit"  # freight crossing the country
    STOCK = "stock"  # goods held in warehouses
    STORAGE_CAPACITY = "storage_capacity"  # what warehouses and elevators can hold
    RESERVES = "reserves"  # what a deposit holds in the ground: never production
    STAFF = "staff"  # people working at a place now
    FACILITIES = "facilities"  # schools, hospitals, sales points and other sites
    LENGTH = "length"  # kilometres of road, track or network
    YIELD = "yield"  # harvest per hectare
    THROUGHPUT = "throughput"  # trains, flights, passengers a day or a year
    AREA = "area"  # land or floor area
    GROWTH = "growth"  # relative change, percent or times
    SHARE = "share"  # part of a whole, percent
    RATE = "rate"  # a level, e.g. unemployment
    COUNT = "count"  # anything else counted
    AMOUNT = "amount"  # any other sum of money
