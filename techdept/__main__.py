from techdept.cli import main

main()
