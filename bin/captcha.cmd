@echo off
rem Runs the captcha command line on Windows. Build first with: mvn -B -q -DskipTests package
rem The jar's manifest opens what Spark needs; CAPTCHA_JAVA_OPTS replaces the 4 GB heap limit.
setlocal
set "ROOT=%~dp0.."
if "%CAPTCHA_JAVA_OPTS%"=="" set "CAPTCHA_JAVA_OPTS=-Xmx4g"
java -XX:MaxHeapFreeRatio=30 -XX:MinHeapFreeRatio=10 -Xmn64m -XX:InitiatingHeapOccupancyPercent=75 -XX:GCTimeRatio=4 %CAPTCHA_JAVA_OPTS% -Djava.awt.headless=true -Dai.djl.offline=true -Djdk.reflect.useDirectMethodHandle=false -jar "%ROOT%\app\target\captcha.jar" %*
