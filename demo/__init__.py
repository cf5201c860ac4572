"""Demo data for xã Kông Lơng Khơng (2022 review, 2023 plan), loaded by `manage.py load_demo`."""
