from qiframe.cli.main import run

run()
