from qiframe.cli.main import console

console()
