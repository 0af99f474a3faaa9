from djmine.cli import main

main()
