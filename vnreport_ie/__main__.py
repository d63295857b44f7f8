from vnreport_ie.cli import main

main()
