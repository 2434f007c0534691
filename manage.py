#!/usr/bin/env python
from abonent.cli import main

if __name__ == "__main__":
    main()
